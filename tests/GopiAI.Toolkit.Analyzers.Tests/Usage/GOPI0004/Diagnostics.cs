using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0004;

public class Diagnostics
{
    [Fact]
    public Task CachedTaskWithoutResult_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial Task {|GOPI0004:SaveAsync|}(int id);
            private Task SaveAsyncCore(int id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task CachedGenericMethod_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial T {|GOPI0004:Get|}<T>(int id);
            private T GetCore<T>(int id) => default!;
        }
        """);

    [Fact]
    public Task CachedInstanceMethodOfStruct_Reported() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        public partial struct Point
        {
            [Cached(60)]
            public partial int {|GOPI0004:Length|}();
            private int LengthCore() => 0;
        }
        """);
}
