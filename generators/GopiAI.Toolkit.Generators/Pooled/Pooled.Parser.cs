using System.Linq;
using System.Threading;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Generators.Pooled;

/// <summary>Turns a <c>[Pooled]</c> class into a <see cref="PooledModel"/>, or <see langword="null"/> when it cannot be pooled.</summary>
internal static class PooledParser
{
    public static PooledModel? Parse(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic ||
            !SymbolHelpers.IsPartialChain(type, cancellationToken) ||
            !HasParameterlessConstructor(type))
        {
            return null;
        }

        var maxRetained = SymbolHelpers.HasNamedArgument(attribute, "MaxRetained") ? SymbolHelpers.NamedArgument<int>(attribute, "MaxRetained") : 100;
        var reset = FindReset(type);
        if (maxRetained <= 0 || reset is null)
        {
            return null;
        }

        return new PooledModel(SymbolHelpers.CreateTypeModel(type), maxRetained, reset.Value);
    }

    /// <summary>Whether the type has a parameterless instance constructor that its own members can call.</summary>
    public static bool HasParameterlessConstructor(INamedTypeSymbol type) =>
        type.InstanceConstructors.Any(c => c.Parameters.Length == 0);

    /// <summary>A <c>Reset()</c> instance method, else an <c>IResettable</c> implementation, else <see langword="null"/>.</summary>
    public static ResetKind? FindReset(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers("Reset").OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.Parameters.Length == 0 && !m.IsGenericMethod &&
                (SymbolEqualityComparer.Default.Equals(current, type) || m.DeclaredAccessibility != Accessibility.Private)))
            {
                return ResetKind.ResetMethod;
            }
        }

        return type.AllInterfaces.Any(i => SymbolHelpers.MetadataName(i) == KnownTypeNames.IResettable) ? ResetKind.Resettable : null;
    }
}
