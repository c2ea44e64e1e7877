using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0003;

public class Diagnostics
{
    [Fact]
    public Task CoreReturnsOtherType_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial ValueTask<int> GetAsync(int id);
            private Task<int> {|GOPI0003:GetAsyncCore|}(int id) => Task.FromResult(id);
        }
        """);

    [Fact]
    public Task InstanceCoreForStaticMethod_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Monitored]
            public static partial void Run();
            private void {|GOPI0003:RunCore|}() { }
        }
        """);
}
