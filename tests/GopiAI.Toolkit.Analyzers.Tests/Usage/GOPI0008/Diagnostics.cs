using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0008;

public class Diagnostics
{
    [Fact]
    public Task NoResetAndNoParameterlessConstructor_Reported() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [Pooled]
        public sealed partial class {|GOPI0008:{|GOPI0008:Buffer|}|}
        {
            public Buffer(int size) { }
        }
        """);

    [Fact]
    public Task ZeroMaxRetained_Reported() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [Pooled(MaxRetained = 0)]
        public sealed partial class {|GOPI0008:Buffer|}
        {
            public void Reset() { }
        }
        """);
}
