using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0012;

public class Diagnostics
{
    [Fact]
    public Task PlaceholderNotAKeyParameter_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0012:{|GOPI0012:Cached(60, Distributed = true, Tags = new[] { "user:{id}", "token:{ct}" })|}|}]
            public partial Task<int> GetAsync(int userId, CancellationToken ct);
            private Task<int> GetAsyncCore(int userId, CancellationToken ct) => Task.FromResult(userId);
        }
        """);

    [Fact]
    public Task UnbalancedPlaceholder_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0012:Cached(60, Distributed = true, Tags = new[] { "user:{id" })|}]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);

    [Fact]
    public Task TagsWithoutDistributed_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0012:Cached(60, Tags = new[] { "users" })|}]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);

    [Fact]
    public Task DistributedWithNamedCache_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0012:Cached(60, Distributed = true, Cache = "api_responses")|}]
            public partial int Get(int id);
            private int GetCore(int id) => id;
        }
        """);
}
