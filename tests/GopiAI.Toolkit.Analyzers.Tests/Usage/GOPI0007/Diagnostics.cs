using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0007;

public class Diagnostics
{
    [Fact]
    public Task ZeroTtl_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0007:Cached(0)|}]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);

    [Fact]
    public Task UnparsableTtlAndNegativeSize_ReportedTwice() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0007:{|GOPI0007:Cached(Ttl = "five minutes", MaxSize = -1)|}|}]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);
}
