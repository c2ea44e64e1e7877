using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0005;

public class Diagnostics
{
    [Fact]
    public Task RefOutAndSpanParameters_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial int Parse(ref int {|GOPI0005:position|}, out int {|GOPI0005:length|}, ReadOnlySpan<char> {|GOPI0005:text|});
            private int ParseCore(ref int position, out int length, ReadOnlySpan<char> text) { length = 0; return 0; }
        }
        """);
}
