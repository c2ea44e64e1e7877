using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0012;

public class Valid
{
    [Fact]
    public Task ConstantAndTemplateTags_NoDiagnostic() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60, Distributed = true, Tags = new[] { "users", "user:{userId}", "{userId}/{region}" })]
            public partial Task<int> GetAsync(int userId, string region, [NotCacheKey] string note, CancellationToken ct);
            private Task<int> GetAsyncCore(int userId, string region, string note, CancellationToken ct) => Task.FromResult(userId);
        }
        """);
}
