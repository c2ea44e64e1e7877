using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0010;

public class Diagnostics
{
    [Fact]
    public Task ThresholdWithoutLogger_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [{|GOPI0010:Monitored(SlowThresholdMs = 200)|}]
        public partial class Service
        {
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);

    [Fact]
    public Task StaticMethodWithInstanceLoggerOnly_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;
        using Microsoft.Extensions.Logging;

        public partial class Service
        {
            private readonly ILogger? _logger = null;

            [{|GOPI0010:Monitored(SlowThresholdMs = 50)|}]
            public static partial int Get(int id);
            private static int GetCore(int id) => id;
        }
        """);
}
