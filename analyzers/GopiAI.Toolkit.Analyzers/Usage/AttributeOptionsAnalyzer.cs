using System.Collections.Immutable;
using System.Linq;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>
/// Checks attribute options: cache key parameters without value equality (GOPI0006), invalid <c>[Cached]</c> options
/// (GOPI0007) and <c>[Monitored]</c> slow thresholds that cannot work (GOPI0010).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AttributeOptionsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GOPI0006_KeyWithoutValueEquality,
        Descriptors.GOPI0007_InvalidCacheOption,
        Descriptors.GOPI0010_InvalidMonitoredOption,
        Descriptors.GOPI0011_UnserializableDistributedResult,
        Descriptors.GOPI0012_InvalidDistributedOption);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is { HasToolkitAttributes: true } types)
            {
                start.RegisterSymbolAction(c => AnalyzeMethod(c, types), SymbolKind.Method);
                start.RegisterSymbolAction(c => AnalyzeType(c, types), SymbolKind.NamedType);
            }
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            return;
        }

        if (KnownTypes.FindAttribute(method, types.CachedAttribute) is { } cached)
        {
            CheckCachedOptions(context, method, cached);
            CheckKeys(context, method, types);
            CheckDistributed(context, method, cached, types);
        }

        if (KnownTypes.FindAttribute(method, types.MonitoredAttribute) is { } monitored)
        {
            CheckThreshold(context, method.Name, monitored, method.IsStatic, method.ContainingType, types);
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (KnownTypes.FindAttribute(type, types.MonitoredAttribute) is { } monitored)
        {
            CheckThreshold(context, type.Name, monitored, isStatic: false, type, types);
        }
    }

    private static void CheckCachedOptions(SymbolAnalysisContext context, IMethodSymbol method, AttributeData attribute)
    {
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations[0];
        void Report(string problem) =>
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0007_InvalidCacheOption, location, method.Name, problem));

        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int seconds && seconds <= 0)
        {
            Report("the time to live must be greater than zero seconds, not " + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var pair in attribute.NamedArguments)
        {
            switch (pair.Key)
            {
                case "Ttl" when !GopiAI.Toolkit.Rules.PartialMethodRules.TryParseTtl(pair.Value.Value as string, out _):
                    Report("Ttl \"" + pair.Value.Value + "\" is not a time span greater than zero, such as \"00:05:00\"");
                    break;
                case "MaxSize" when pair.Value.Value is int size && size < 0:
                    Report("MaxSize cannot be negative");
                    break;
                case "Cache" when string.IsNullOrWhiteSpace(pair.Value.Value as string):
                    Report("Cache must name a cache; leave it out to use a private cache");
                    break;
            }
        }
    }

    private static void CheckDistributed(SymbolAnalysisContext context, IMethodSymbol method, AttributeData attribute, KnownTypes types)
    {
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations[0];
        var distributed = attribute.NamedArguments.Any(a => a.Key == "Distributed" && a.Value.Value is true);
        var tags = attribute.NamedArguments.Where(a => a.Key == "Tags" && !a.Value.IsNull && a.Value.Kind == TypedConstantKind.Array)
            .SelectMany(a => a.Value.Values).Select(v => v.Value as string ?? string.Empty).ToList();
        void Report(string problem) =>
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0012_InvalidDistributedOption, location, method.Name, problem));

        if (!distributed)
        {
            if (tags.Count > 0)
            {
                Report("Tags only apply with Distributed = true");
            }

            return;
        }

        if (attribute.NamedArguments.Any(a => a.Key == "Cache" && a.Value.Value is string))
        {
            Report("Distributed = true cannot be combined with Cache: a distributed method has a cache of its own, named after the method");
        }

        var keyNames = method.Parameters
            .Where(p => !SymbolEqualityComparer.Default.Equals(p.Type, types.CancellationToken) && KnownTypes.FindAttribute(p, types.NotCacheKeyAttribute) is null)
            .Select(p => p.Name)
            .ToList();
        foreach (var tag in tags)
        {
            if (GopiAI.Toolkit.Rules.CacheTagRules.FindProblem(tag, keyNames) is { } problem)
            {
                Report(problem);
            }
        }

        var result = method.ReturnType;
        if (result is INamedTypeSymbol { IsGenericType: true } named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks" &&
            named.MetadataName is "Task`1" or "ValueTask`1")
        {
            result = named.TypeArguments[0];
        }

        if (result.SpecialType == SpecialType.System_Void || result is INamedTypeSymbol { ContainingNamespace: { } ns, MetadataName: "Task" or "ValueTask" } && ns.ToDisplayString() == "System.Threading.Tasks")
        {
            return;
        }

        if (GopiAI.Toolkit.Rules.JsonShapeRules.Describe(result, new System.Collections.Generic.List<GopiAI.Toolkit.Rules.JsonTypeShape>()) is { } reason)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0011_UnserializableDistributedResult, location, method.Name, reason));
        }
    }

    private static void CheckKeys(SymbolAnalysisContext context, IMethodSymbol method, KnownTypes types)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.CancellationToken) ||
                KnownTypes.FindAttribute(parameter, types.NotCacheKeyAttribute) is not null ||
                !ComparesByReference(parameter.Type))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI0006_KeyWithoutValueEquality, parameter.Locations[0], parameter.Name, method.Name, parameter.Type.ToDisplayString()));
        }
    }

    /// <summary>
    /// Arrays, and concrete classes that are not records and override neither <c>Equals</c> nor implement
    /// <c>IEquatable&lt;T&gt;</c>. Interfaces, abstract classes, <c>object</c> and type parameters are left alone: the
    /// runtime type may well have value equality.
    /// </summary>
    private static bool ComparesByReference(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol)
        {
            return true;
        }

        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsRecord: false } named ||
            named.SpecialType is SpecialType.System_Object or SpecialType.System_String)
        {
            return false;
        }

        if (named.AllInterfaces.Any(i => i.Name == "IEquatable" && i.ContainingNamespace?.ToDisplayString() == "System"))
        {
            return false;
        }

        for (var current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.Length == 1))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckThreshold(SymbolAnalysisContext context, string name, AttributeData attribute, bool isStatic, INamedTypeSymbol type, KnownTypes types)
    {
        var threshold = attribute.NamedArguments.FirstOrDefault(p => p.Key == "SlowThresholdMs").Value.Value as int? ?? 0;
        if (threshold == 0)
        {
            return;
        }

        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Symbol.Locations[0];
        if (threshold < 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0010_InvalidMonitoredOption, location, name, "SlowThresholdMs cannot be negative"));
            return;
        }

        if (!HasLogger(type, isStatic, types))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI0010_InvalidMonitoredOption, location, name,
                "SlowThresholdMs has no effect because '" + type.Name + "' has no " + (isStatic ? "static " : string.Empty) + "ILogger field or property to log slow calls to"));
        }
    }

    private static bool HasLogger(INamedTypeSymbol type, bool isStatic, KnownTypes types)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } p => p.Type,
                    _ => null,
                };
                if (memberType is not null && (!isStatic || member.IsStatic) &&
                    (SymbolEqualityComparer.Default.Equals(current, type) || member.DeclaredAccessibility != Accessibility.Private) &&
                    types.IsLogger(memberType))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
