using System.Linq;
using System.Threading;
using GopiAI.Toolkit.Generators.Cached;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.Monitored;
using GopiAI.Toolkit.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.Common;

/// <summary>
/// Turns a partial method carrying <c>[Cached]</c> and/or <c>[Monitored]</c> (directly or through its class) into a
/// <see cref="MethodModel"/>. Returns <see langword="null"/> for anything the generator cannot implement: the shape
/// rules (<see cref="PartialMethodRules"/>) are the usage analyzer's, so each skipped method has a diagnostic.
/// </summary>
internal static class PartialMethodParser
{
    public static MethodModel? Parse(IMethodSymbol method, SyntaxNode syntax, CancellationToken cancellationToken)
    {
        // The shape rules are shared with the usage analyzer (PartialMethodRules): what it reports, this skips.
        var isCached = SymbolHelpers.FindAttribute(method, KnownTypeNames.CachedAttribute) is not null;
        if (syntax is not MethodDeclarationSyntax declaration ||
            method.ContainingType is not { } type ||
            !PartialMethodRules.Check(method, isCached, static _ => false, cancellationToken).IsValid ||
            ClassifyReturn(method.ReturnType) is not { } returnKind)
        {
            return null;
        }

        var cachedAttribute = SymbolHelpers.FindAttribute(method, KnownTypeNames.CachedAttribute);
        CacheModel? cache = null;
        if (cachedAttribute is not null)
        {
            cache = CachedParser.ParseOptions(cachedAttribute);
            if (cache is null)
            {
                return null;
            }
        }

        var methodMonitored = SymbolHelpers.FindAttribute(method, KnownTypeNames.MonitoredAttribute);
        var monitoredAttribute = methodMonitored ?? SymbolHelpers.FindAttribute(type, KnownTypeNames.MonitoredAttribute);
        MonitorModel? monitor = null;
        if (monitoredAttribute is not null)
        {
            monitor = MonitoredParser.ParseOptions(monitoredAttribute, method, onMethod: methodMonitored is not null);
            if (monitor is null)
            {
                return null;
            }
        }

        if (cache is null && monitor is null)
        {
            return null;
        }

        var isAsync = returnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT or ReturnKind.Task or ReturnKind.ValueTask;
        var tokenAssigned = false;
        var parameters = method.Parameters.Select(p =>
        {
            var isToken = SymbolHelpers.MetadataName(p.Type) == "System.Threading.CancellationToken";
            var handsTokenToCache = isToken && isAsync && !tokenAssigned;
            tokenAssigned |= handsTokenToCache;
            var isKey = !isToken && SymbolHelpers.FindAttribute(p, KnownTypeNames.NotCacheKeyAttribute) is null;
            var prefix = (p.Ordinal == 0 && method.IsExtensionMethod ? "this " : string.Empty) + (p.IsParams ? "params " : string.Empty);
            return new ParameterModel(SymbolHelpers.EscapeIdentifier(p.Name), p.Type.ToTypeString(), prefix, isKey, handsTokenToCache);
        }).ToEquatableArray();

        var modifiers = string.Join(" ", declaration.Modifiers
            .Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword))
            .Select(m => m.Text));
        var access = string.Join(" ", declaration.Modifiers
            .Where(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) ||
                        m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.PrivateKeyword))
            .Select(m => m.Text));

        string? resultType = returnKind switch
        {
            ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT => ((INamedTypeSymbol)method.ReturnType).TypeArguments[0].ToTypeString(),
            ReturnKind.Value => method.ReturnType.ToTypeString(),
            _ => null,
        };

        if (cache is { Distributed: true })
        {
            var resultSymbol = returnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT
                ? ((INamedTypeSymbol)method.ReturnType).TypeArguments[0]
                : method.ReturnType;
            var keyNames = parameters.Where(p => p.IsKey).Select(p => p.Name.TrimStart('@')).ToList();
            if (CachedParser.ParseJson(resultSymbol) is not { } json ||
                cache.Tags.Any(t => !CacheTagRules.IsValid(t, keyNames)))
            {
                // GOPI0011 (unserializable result) and GOPI0012 (bad tag) are the analyzer's to report.
                return null;
            }

            cache = cache with { Json = json };
        }

        return new MethodModel(
            SymbolHelpers.CreateTypeModel(type),
            method.Name,
            modifiers,
            access.Length == 0 ? "private" : access,
            method.IsStatic,
            returnKind,
            method.ReturnType.ToTypeString(),
            resultType,
            parameters,
            GetMemberSuffix(method),
            cache,
            monitor);
    }

    public static ReturnKind? ClassifyReturn(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return ReturnKind.Void;
        }

        if (returnType.IsRefLikeType || returnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return null;
        }

        if (returnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            switch (named.MetadataName)
            {
                case "Task": return ReturnKind.Task;
                case "Task`1": return ReturnKind.TaskOfT;
                case "ValueTask": return ReturnKind.ValueTask;
                case "ValueTask`1": return ReturnKind.ValueTaskOfT;
            }
        }

        return ReturnKind.Value;
    }

    private static string GetMemberSuffix(IMethodSymbol method)
    {
        var overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        if (overloads.Count <= 1)
        {
            return string.Empty;
        }

        var index = overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        return "_" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
