using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.Pooled;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;

namespace GopiAI.Toolkit.Generators.Tests.Pooled;

public class PooledEmitterTests
{
    [Fact]
    public void Emit_ResetMethod_PoolWithResetAndScopedLease()
    {
        var text = PooledEmitter.Emit(new PooledModel(Models.Type("Io", "Buffer"), 16, ResetKind.ResetMethod));

        Assert.Contains(
            """
                private static readonly global::Microsoft.Extensions.ObjectPool.ObjectPool<global::Io.Buffer> __pool = global::GopiAI.Toolkit.Pooling.PoolFactory.Create<global::Io.Buffer>(
                    static () => new global::Io.Buffer(),
                    static __item => __item.Reset(),
                    maxRetained: 16);
            """.ReplaceLineEndings("\n"),
            text,
            StringComparison.Ordinal);
        Assert.Contains("    public static global::Io.Buffer Rent() => __pool.Get();\n", text, StringComparison.Ordinal);
        Assert.Contains("    public static void Return(global::Io.Buffer item)\n", text, StringComparison.Ordinal);
        Assert.Contains("    public static global::GopiAI.Toolkit.Pooling.PooledLease<global::Io.Buffer> RentScoped() => new global::GopiAI.Toolkit.Pooling.PooledLease<global::Io.Buffer>(__pool);\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_Resettable_CallsTryReset()
    {
        var text = PooledEmitter.Emit(new PooledModel(Models.Type("Io", "Buffer"), 100, ResetKind.Resettable));

        Assert.Contains("static __item => ((global::Microsoft.Extensions.ObjectPool.IResettable)__item).TryReset(),", text, StringComparison.Ordinal);
    }
}
