using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0001;

public class Diagnostics
{
    [Fact]
    public Task CachedMethodWithBody_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public int {|GOPI0001:Get|}(int id) => id;
        }
        """);

    [Fact]
    public Task MonitoredMethodInNonPartialContainingType_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public class Outer
        {
            public partial class Service
            {
                [Monitored]
                public partial void {|GOPI0001:Run|}();
                private void RunCore() { }
            }
        }
        """);

    [Fact]
    public Task LazyStartupClassNotPartial_Reported() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [LazyStartup]
        public sealed class {|GOPI0001:Model|}
        {
        }
        """);
}
