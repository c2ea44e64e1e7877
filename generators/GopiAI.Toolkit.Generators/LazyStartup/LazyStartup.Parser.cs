using System.Linq;
using System.Threading;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Generators.LazyStartup;

/// <summary>Turns a <c>[LazyStartup]</c> class into a <see cref="LazyStartupModel"/>, or <see langword="null"/> when unsupported.</summary>
internal static class LazyStartupParser
{
    private static readonly SymbolDisplayFormat NameFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    public static LazyStartupModel? Parse(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
    {
        if (!IsSupportedType(type) || !SymbolHelpers.IsPartialChain(type, cancellationToken))
        {
            return null;
        }

        var dependsOn = attribute.NamedArguments.FirstOrDefault(p => p.Key == "DependsOn").Value;
        var dependencies = dependsOn.Kind == TypedConstantKind.Array && !dependsOn.IsNull
            ? dependsOn.Values.Select(v => v.Value as INamedTypeSymbol).ToList()
            : new System.Collections.Generic.List<INamedTypeSymbol?>();
        if (dependencies.Any(d => d is null))
        {
            return null;
        }

        return new LazyStartupModel(
            SymbolHelpers.CreateTypeModel(type),
            ComponentName(type),
            SymbolHelpers.NamedArgument<int>(attribute, "Priority"),
            dependencies.Select(d => ComponentName(d!)).ToEquatableArray(),
            SymbolHelpers.NamedArgument<bool>(attribute, "Eager"));
    }

    /// <summary>A non-generic, non-abstract class (nested in non-generic types) with a parameterless constructor.</summary>
    public static bool IsSupportedType(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || !type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
        {
            return false;
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            // Module initializers must live in public or internal types.
            if (current.IsGenericType || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name a component is registered under: its full type name, e.g. <c>MyApp.Models.EmbeddingModel</c>.</summary>
    public static string ComponentName(INamedTypeSymbol type) => type.ToDisplayString(NameFormat);
}
