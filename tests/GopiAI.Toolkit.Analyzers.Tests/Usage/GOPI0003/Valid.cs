using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0003;

public class Valid
{
    [Fact]
    public Task StaticCoreForStaticMethod_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public static partial class Math2
        {
            [Cached]
            public static partial long Square(int x);
            private static long SquareCore(int x) => (long)x * x;
        }
        """);
}
