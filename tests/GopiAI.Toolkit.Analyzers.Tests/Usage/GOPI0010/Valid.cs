using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0010;

public class Valid
{
    [Fact]
    public Task ThresholdWithLogger_NoDiagnostic() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;
        using Microsoft.Extensions.Logging;

        public partial class Service(ILogger<Service> logger)
        {
            private readonly ILogger<Service> _logger = logger;

            [Monitored(SlowThresholdMs = 200)]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);
}
