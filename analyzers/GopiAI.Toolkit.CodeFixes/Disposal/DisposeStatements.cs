using System.Linq;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.CodeFixes.Disposal;

/// <summary>Builds the statement that disposes a member, shared by the disposal fixes.</summary>
internal static class DisposeStatements
{
    /// <summary>True when <paramref name="type"/> has a synchronous <c>Dispose()</c> (IDisposable, or a ref struct pattern).</summary>
    public static bool IsSyncDisposable(ITypeSymbol type, Compilation compilation)
    {
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        return SymbolEqualityComparer.Default.Equals(type, disposable) ||
               type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default) ||
               (type.IsRefLikeType && type.GetMembers("Dispose").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 0));
    }

    /// <summary>
    /// <c>name.Dispose();</c>, <c>name?.Dispose();</c> for a nullable reference, or <c>await name.DisposeAsync()...;</c>
    /// when only IAsyncDisposable is available and <paramref name="canAwait"/>. Null when neither applies.
    /// </summary>
    public static string? For(string name, ITypeSymbol type, Compilation compilation, bool canAwait)
    {
        var conditional = !type.IsValueType && type.NullableAnnotation == NullableAnnotation.Annotated;
        if (IsSyncDisposable(type, compilation))
        {
            return name + (conditional ? "?." : ".") + "Dispose();";
        }

        if (canAwait)
        {
            return conditional
                ? "if (" + name + " is not null) { await " + name + ".DisposeAsync().ConfigureAwait(false); }"
                : "await " + name + ".DisposeAsync().ConfigureAwait(false);";
        }

        return null;
    }
}
