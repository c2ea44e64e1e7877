using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0006;

public class Diagnostics
{
    [Fact]
    public Task ReferenceEqualityClassAndArray_Reported() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public class Filter { public string? Text { get; set; } }

        public partial class Service
        {
            [Cached(60)]
            public partial int Count(Filter {|GOPI0006:filter|}, int[] {|GOPI0006:ids|});
            private int CountCore(Filter filter, int[] ids) => ids.Length;
        }
        """);
}
