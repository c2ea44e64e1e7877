using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0009;

public class Valid
{
    [Fact]
    public Task ComponentWithDependency_NoDiagnostic() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [LazyStartup]
        public sealed partial class Tokenizer { }

        [LazyStartup(DependsOn = new[] { typeof(Tokenizer) }, Eager = true, Priority = 1)]
        internal sealed partial class Model { }
        """);
}
