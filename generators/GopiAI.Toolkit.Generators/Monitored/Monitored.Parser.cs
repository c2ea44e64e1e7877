using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Generators.Monitored;

/// <summary>Reads <c>[Monitored]</c> options and finds the type's logger.</summary>
internal static class MonitoredParser
{
    public static MonitorModel? ParseOptions(AttributeData attribute, IMethodSymbol method, bool onMethod)
    {
        var threshold = SymbolHelpers.NamedArgument<int>(attribute, "SlowThresholdMs");
        if (threshold < 0)
        {
            return null;
        }

        var name = SymbolHelpers.NamedArgument<string>(attribute, "Name");
        if (string.IsNullOrWhiteSpace(name) || !onMethod)
        {
            // A class-level Name would give every method the same endpoint, so it only applies as a prefix there.
            name = string.IsNullOrWhiteSpace(name)
                ? method.ContainingType.Name + "." + method.Name
                : name + "." + method.Name;
        }

        return new MonitorModel(name!, threshold, threshold > 0 ? FindLogger(method) : null);
    }

    /// <summary>A field or property of type <c>ILogger</c> (or implementing it) that the method can reach.</summary>
    public static string? FindLogger(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            var declaredHere = SymbolEqualityComparer.Default.Equals(type, method.ContainingType);
            foreach (var member in type.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } p => p.Type,
                    _ => null,
                };
                if (memberType is null ||
                    (method.IsStatic && !member.IsStatic) ||
                    (!declaredHere && member.DeclaredAccessibility == Accessibility.Private) ||
                    !IsLogger(memberType))
                {
                    continue;
                }

                return SymbolHelpers.EscapeIdentifier(member.Name);
            }
        }

        return null;
    }

    private static bool IsLogger(ITypeSymbol type) =>
        SymbolHelpers.MetadataName(type) == KnownTypeNames.ILogger ||
        type.AllInterfaces.Any(i => SymbolHelpers.MetadataName(i) == KnownTypeNames.ILogger);
}
