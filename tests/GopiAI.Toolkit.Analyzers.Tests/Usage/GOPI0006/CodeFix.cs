using GopiAI.Toolkit.Analyzers.Usage;
using GopiAI.Toolkit.CodeFixes.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0006;

public class CodeFix
{
    [Fact]
    public Task ReferenceEqualityParameter_MarkedNotCacheKey() => UsageFixVerifier<AttributeOptionsAnalyzer, NotCacheKeyCodeFix>.VerifyAsync("""
        using GopiAI.Toolkit;

        public class Filter { }

        public partial class Service
        {
            [Cached(60)]
            public partial int Count(int tenant, Filter {|GOPI0006:filter|});
            private int CountCore(int tenant, Filter filter) => tenant;
        }
        """, """
        using GopiAI.Toolkit;

        public class Filter { }

        public partial class Service
        {
            [Cached(60)]
            public partial int Count(int tenant, [NotCacheKey] Filter filter);
            private int CountCore(int tenant, Filter filter) => tenant;
        }
        """);
}
