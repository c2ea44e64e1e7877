using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0002;

public class Valid
{
    [Fact]
    public Task CoreWithSameParameters_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public static partial ValueTask<string> FindAsync(string name, CancellationToken ct = default);
            private static ValueTask<string> FindAsyncCore(string name, CancellationToken ct) => new(name);
        }
        """);
}
