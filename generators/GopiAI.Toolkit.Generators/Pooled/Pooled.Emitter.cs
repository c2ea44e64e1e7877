using System.Globalization;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;

namespace GopiAI.Toolkit.Generators.Pooled;

/// <summary>Writes the pool field and <c>Rent</c>/<c>Return</c>/<c>RentScoped</c> of a <c>[Pooled]</c> class.</summary>
internal static class PooledEmitter
{
    public static string Emit(PooledModel model) => FileEmitter.Emit(model.Type, writer =>
    {
        var type = model.Type.FullyQualifiedName;
        var reset = model.Reset == ResetKind.ResetMethod
            ? "static __item => __item.Reset()"
            : "static __item => ((global::Microsoft.Extensions.ObjectPool.IResettable)__item).TryReset()";

        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private static readonly " + KnownTypeNames.ObjectPool + "<" + type + "> __pool = " + KnownTypeNames.PoolFactory + ".Create<" + type + ">(");
        writer.Line("    static () => new " + type + "(),");
        writer.Line("    " + reset + ",");
        writer.Line("    maxRetained: " + model.MaxRetained.ToString(CultureInfo.InvariantCulture) + ");");
        writer.Line();
        writer.Line("/// <summary>Takes an instance from the pool, or creates one when the pool is empty. Give it back with <see cref=\"Return\"/>.</summary>");
        writer.Line("/// <returns>An instance that is reset and not used by anyone else.</returns>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("public static " + type + " Rent() => __pool.Get();");
        writer.Line();
        writer.Line("/// <summary>Resets <paramref name=\"item\"/> and gives it back to the pool. Do not use it afterwards.</summary>");
        writer.Line("/// <param name=\"item\">An instance obtained from <see cref=\"Rent\"/>.</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"item\"/> is <see langword=\"null\"/>.</exception>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("public static void Return(" + type + " item)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(item);");
        writer.Line("__pool.Return(item);");
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>Rents an instance for a scope: <c>using var lease = RentScoped();</c> returns it when the scope ends.</summary>");
        writer.Line("/// <returns>A lease whose <c>Value</c> is the rented instance.</returns>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("public static " + KnownTypeNames.PooledLease + "<" + type + "> RentScoped() => new " + KnownTypeNames.PooledLease + "<" + type + ">(__pool);");
    });
}
