using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>
/// Reads the disposal rules' .editorconfig options. <c>gopiai.disposal.exempt_types</c> is a comma-separated list of
/// metadata names (<c>System.IO.MemoryStream, MyApp.NoopScope</c>) that replaces the default exemptions
/// (MemoryStream, StringReader, StringWriter); the value <c>none</c> exempts nothing.
/// </summary>
internal sealed class DisposalOptions
{
    /// <summary>The option key for exempt types.</summary>
    public const string ExemptTypesKey = "gopiai.disposal.exempt_types";

    private readonly KnownTypes _known;
    private readonly object _gate = new();

    // Keyed by the raw option text: one entry per distinct value in the project, so it stays tiny.
    private ImmutableDictionary<string, ImmutableHashSet<ITypeSymbol>> _parsed = ImmutableDictionary<string, ImmutableHashSet<ITypeSymbol>>.Empty;

    /// <summary>Creates the reader for one compilation.</summary>
    public DisposalOptions(KnownTypes known) => _known = known;

    /// <summary>The exempt types in force for <paramref name="tree"/>.</summary>
    public ImmutableHashSet<ITypeSymbol> ExemptTypes(AnalyzerOptions options, SyntaxTree tree)
    {
        if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(ExemptTypesKey, out var raw) &&
            !options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ExemptTypesKey, out raw))
        {
            return _known.DefaultExemptTypes;
        }

        if (_parsed.TryGetValue(raw, out var cached))
        {
            return cached;
        }

        var builder = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var part in raw.Split(','))
        {
            var name = part.Trim();
            if (name.Length == 0 || string.Equals(name, "none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (_known.Compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        var result = builder.ToImmutable();
        lock (_gate)
        {
            _parsed = _parsed.SetItem(raw, result);
        }

        return result;
    }

    /// <summary>
    /// True when <paramref name="type"/> itself is exempt for <paramref name="tree"/>. Derived types are not: a
    /// pooled MemoryStream subclass must still be disposed.
    /// </summary>
    public bool IsExempt(ITypeSymbol? type, AnalyzerOptions options, SyntaxTree tree) =>
        type is not null && ExemptTypes(options, tree).Contains(type.OriginalDefinition);

    /// <summary>
    /// True when the value <paramref name="creation"/> makes needs no disposal: its type is exempt, or it is a wrapper
    /// whose every disposable constructor argument is an exempt in-memory value (<c>new StreamWriter(new MemoryStream())</c>,
    /// <c>new BinaryWriter(ms)</c> over a <c>MemoryStream</c> local): disposing the wrapper would release nothing but them.
    /// </summary>
    public bool IsExemptCreation(IOperation creation, ITypeSymbol type, AnalyzerOptions options)
    {
        var tree = creation.Syntax.SyntaxTree;
        if (IsExempt(type, options, tree))
        {
            return true;
        }

        if (creation.WithoutConversions() is not IObjectCreationOperation { Arguments.Length: > 0 } wrapper)
        {
            return false;
        }

        var wraps = false;
        foreach (var argument in wrapper.Arguments)
        {
            var value = argument.Value.WithoutConversions();
            if (!_known.IsDisposable(value.Type))
            {
                continue;
            }

            if (!IsExempt(value.Type, options, tree) &&
                !(Ownership.IsCreation(value, _known, out var inner) && IsExemptCreation(value, inner, options)))
            {
                return false;
            }

            wraps = true;
        }

        return wraps;
    }
}
