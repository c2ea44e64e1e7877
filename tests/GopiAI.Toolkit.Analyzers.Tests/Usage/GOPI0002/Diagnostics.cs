using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0002;

public class Diagnostics
{
    [Fact]
    public Task NoCore_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Monitored]
            public partial int {|GOPI0002:Count|}();
        }
        """);

    [Fact]
    public Task CoreWithOtherParameters_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial int {|GOPI0002:Get|}(int id);
            private int GetCore(long id) => (int)id;
        }
        """);
}
