using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0011;

public class Diagnostics
{
    [Fact]
    public Task ObjectResult_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [{|GOPI0011:Cached(60, Distributed = true)|}]
            public partial Task<object> GetAsync(int id);
            private Task<object> GetAsyncCore(int id) => Task.FromResult<object>(id);
        }
        """);

    [Fact]
    public Task PropertyThatCannotBeReadBack_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public sealed class Report
        {
            public string Title { get; } = "";
        }

        public partial class Service
        {
            [{|GOPI0011:Cached(60, Distributed = true)|}]
            public partial Report Build(int id);
            private Report BuildCore(int id) => new();
        }
        """);

    [Fact]
    public Task NestedUnsupportedTypes_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System.Collections.Generic;
        using GopiAI.Toolkit;

        public sealed record Page(Dictionary<int, string> ById, (int, int) Range);

        public partial class Service
        {
            [{|GOPI0011:Cached(60, Distributed = true)|}]
            public partial List<Page> Pages(int id);
            private List<Page> PagesCore(int id) => new();
        }
        """);
}
