using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0008;

public class Valid
{
    [Fact]
    public Task ResettableClass_NoDiagnostic() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;
        using Microsoft.Extensions.ObjectPool;

        [Pooled(MaxRetained = 4)]
        public sealed partial class Builder : IResettable
        {
            public bool TryReset() => true;
        }
        """);
}
