using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0009;

public class Diagnostics
{
    [Fact]
    public Task GenericComponent_Reported() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [LazyStartup]
        public sealed partial class {|GOPI0009:Model|}<T> { }
        """);

    [Fact]
    public Task DependencyNotAComponentAndNoParameterlessConstructor_Reported() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public sealed class Plain { }

        [LazyStartup(DependsOn = new[] { typeof(Plain) })]
        public sealed partial class {|GOPI0009:{|GOPI0009:Model|}|}
        {
            public Model(string path) { }
        }
        """);
}
