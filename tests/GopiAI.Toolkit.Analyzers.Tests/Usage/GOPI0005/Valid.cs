using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0005;

public class Valid
{
    [Fact]
    public Task ParamsArray_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Monitored]
            public partial int Sum(params int[] values);
            private int SumCore(params int[] values) => values.Length;
        }
        """);
}
