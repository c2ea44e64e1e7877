using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0007;

public class Valid
{
    [Fact]
    public Task ValidOptions_NoDiagnostic() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(Ttl = "1.00:00:00", MaxSize = 10, Cache = "api_responses", Sliding = true)]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);
}
