using System.Collections.Immutable;
using System.Linq;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>
/// Checks classes marked <c>[Pooled]</c>, <c>[LazyStartup]</c> or <c>[Monitored]</c>: partial (GOPI0001), poolable
/// (GOPI0008) and supported as a lazy startup component (GOPI0009).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypeUsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GOPI0001_NotPartial,
        Descriptors.GOPI0008_NotPoolable,
        Descriptors.GOPI0009_UnsupportedLazyStartup);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is { HasToolkitAttributes: true } types)
            {
                start.RegisterSymbolAction(c => Analyze(c, types), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var pooled = KnownTypes.FindAttribute(type, types.PooledAttribute);
        var lazy = KnownTypes.FindAttribute(type, types.LazyStartupAttribute);
        var monitored = KnownTypes.FindAttribute(type, types.MonitoredAttribute);
        if (pooled is null && lazy is null && monitored is null)
        {
            return;
        }

        var location = type.Locations[0];
        var attributeName = pooled is not null ? "Pooled" : lazy is not null ? "LazyStartup" : "Monitored";
        if (GopiAI.Toolkit.Rules.PartialMethodRules.FirstNonPartial(type, context.CancellationToken) is { } nonPartial)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI0001_NotPartial, location, UsageSyntax.Properties(UsageSyntax.FixTypesPartial), nonPartial.Name, attributeName));
        }

        if (pooled is not null)
        {
            CheckPooled(context, type, pooled, types, location);
        }

        if (lazy is not null)
        {
            CheckLazyStartup(context, type, lazy, types, location);
        }
    }

    private static void CheckPooled(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, KnownTypes types, Location location)
    {
        void Report(string problem) => context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0008_NotPoolable, location, type.Name, problem));

        if (type.IsAbstract || type.IsStatic)
        {
            Report("must be a class that can be instantiated, not abstract or static");
            return;
        }

        if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
        {
            Report("needs a parameterless constructor for the pool to create instances");
        }

        if (!HasReset(type, types))
        {
            Report("needs a Reset() method or an IResettable implementation to clean returned objects");
        }

        if (attribute.NamedArguments.FirstOrDefault(p => p.Key == "MaxRetained").Value.Value is int max && max <= 0)
        {
            Report("must have MaxRetained greater than zero");
        }
    }

    private static bool HasReset(INamedTypeSymbol type, KnownTypes types)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers("Reset").OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.Parameters.Length == 0 && !m.IsGenericMethod &&
                (SymbolEqualityComparer.Default.Equals(current, type) || m.DeclaredAccessibility != Accessibility.Private)))
            {
                return true;
            }
        }

        return types.Resettable is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, types.Resettable));
    }

    private static void CheckLazyStartup(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, KnownTypes types, Location location)
    {
        void Report(string problem) => context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0009_UnsupportedLazyStartup, location, type.Name, problem));

        if (type.IsAbstract || type.IsStatic)
        {
            Report("it is abstract or static");
        }
        else if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
        {
            Report("it has no parameterless constructor");
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                Report("generic types cannot be registered as one component");
                break;
            }

            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
            {
                Report("it or a containing type is private or protected; the registering module initializer needs public or internal types");
                break;
            }
        }

        var dependsOn = attribute.NamedArguments.FirstOrDefault(p => p.Key == "DependsOn").Value;
        if (dependsOn.Kind == TypedConstantKind.Array && !dependsOn.IsNull)
        {
            foreach (var value in dependsOn.Values)
            {
                if (value.Value is INamedTypeSymbol dependency && KnownTypes.FindAttribute(dependency, types.LazyStartupAttribute) is null)
                {
                    Report("DependsOn lists '" + dependency.Name + "', which is not a [LazyStartup] component");
                }
            }
        }
    }
}
