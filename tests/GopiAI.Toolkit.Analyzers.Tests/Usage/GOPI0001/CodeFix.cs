using GopiAI.Toolkit.Analyzers.Usage;
using GopiAI.Toolkit.CodeFixes.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0001;

public class CodeFix
{
    [Fact]
    public Task MethodWithBody_BecomesPartialWithCore() => UsageFixVerifier<PartialMethodUsageAnalyzer, MakePartialCodeFix>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public class Service
        {
            [Cached(60)]
            public async Task<int> {|GOPI0001:GetAsync|}(int id, int scale = 2)
            {
                await Task.Yield();
                return id * scale;
            }
        }
        """, """
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public partial class Service
        {
            [Cached(60)]
            public partial Task<int> GetAsync(int id, int scale = 2);

            private async Task<int> GetAsyncCore(int id, int scale)
            {
                await Task.Yield();
                return id * scale;
            }
        }
        """);

    [Fact]
    public Task NonPartialTypes_BecomePartial() => UsageFixVerifier<TypeUsageAnalyzer, MakePartialCodeFix>.VerifyAsync("""
        using GopiAI.Toolkit;

        public static class Outer
        {
            [Pooled]
            public sealed class {|GOPI0001:Buffer|}
            {
                public void Reset() { }
            }
        }
        """, """
        using GopiAI.Toolkit;

        public static partial class Outer
        {
            [Pooled]
            public sealed partial class Buffer
            {
                public void Reset() { }
            }
        }
        """);
}
