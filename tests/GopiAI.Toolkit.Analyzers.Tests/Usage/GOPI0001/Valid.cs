using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0001;

public class Valid
{
    [Fact]
    public Task PartialMethodInPartialTypes_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public static partial class Outer
        {
            public partial class Service
            {
                [Cached(60)]
                public partial Task<int> GetAsync(int id);
                private Task<int> GetAsyncCore(int id) => Task.FromResult(id);
            }
        }
        """);

    [Fact]
    public Task PartialPooledClass_NoDiagnostic() => UsageVerifier<TypeUsageAnalyzer>.VerifyAsync("""
        using GopiAI.Toolkit;

        [Pooled]
        public sealed partial class Buffer
        {
            public void Reset() { }
        }
        """);

    [Fact]
    public Task MethodWithoutToolkitAttribute_NoDiagnostic() => UsageVerifier<PartialMethodUsageAnalyzer>.VerifyAsync("""
        public class Service
        {
            public int Get(int id) => id;
        }
        """);
}
