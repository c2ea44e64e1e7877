using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0004;

public class Valid
{
    [Fact]
    public Task MonitoredTaskWithoutResult_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial struct Worker
        {
            [Monitored]
            public partial Task SaveAsync(int id);
            private Task SaveAsyncCore(int id) => Task.CompletedTask;
        }
        """);
}
