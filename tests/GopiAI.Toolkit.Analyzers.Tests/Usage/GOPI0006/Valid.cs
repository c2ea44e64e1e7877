using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0006;

public class Valid
{
    [Fact]
    public Task ValueEqualityKeys_NoDiagnostic() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public sealed record Query(string Text);
        public sealed class Id : IEquatable<Id> { public bool Equals(Id? other) => other is not null; public override bool Equals(object? o) => o is Id; public override int GetHashCode() => 1; }
        public class Options { }
        public interface IShape { }

        public partial class Service
        {
            [Cached(60)]
            public partial Task<int> GetAsync(Query query, Id id, string name, int count, Uri uri, IShape shape, [NotCacheKey] Options options, CancellationToken ct);
            private Task<int> GetAsyncCore(Query query, Id id, string name, int count, Uri uri, IShape shape, Options options, CancellationToken ct) => Task.FromResult(0);
        }
        """);
}
