using GopiAI.Toolkit.Analyzers.Usage;
using GopiAI.Toolkit.CodeFixes.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0002;

public class CodeFix
{
    [Fact]
    public Task MissingCore_StubAdded() => UsageFixVerifier<PartialMethodUsageAnalyzer, GenerateCoreCodeFix>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(300)]
            public partial Task<string?> {|GOPI0002:GetAsync|}([NotCacheKey] int attempt, string city, CancellationToken ct = default);
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(300)]
            public partial Task<string?> GetAsync([NotCacheKey] int attempt, string city, CancellationToken ct = default);

            private Task<string?> GetAsyncCore(int attempt, string city, CancellationToken ct)
            {
                throw new System.NotImplementedException();
            }
        }
        """);
}
