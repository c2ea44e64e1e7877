using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.Common;

/// <summary>Symbol-to-string helpers shared by the parsers. Everything returned is plain data.</summary>
internal static class SymbolHelpers
{
    /// <summary>Fully qualified (<c>global::</c>) names that keep nullable annotations.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat DisplayFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    public static string ToTypeString(this ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>Whether the type and every type containing it are declared <c>partial</c>.</summary>
    public static bool IsPartialChain(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartial(current, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration &&
                declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the model of <paramref name="type"/>; the caller has checked <see cref="IsPartialChain"/>.</summary>
    public static TypeModel CreateTypeModel(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            chain.Insert(0, current);
        }

        var declarations = chain.Select(t => new TypeDeclarationModel(GetKeyword(t), GetNameWithTypeParameters(t))).ToEquatableArray();
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var hint = new StringBuilder();
        foreach (var c in (ns is null ? string.Empty : ns + ".") + string.Join(".", chain.Select(t => t.MetadataName)))
        {
            hint.Append(char.IsLetterOrDigit(c) || c == '.' ? c : '_');
        }

        return new TypeModel(ns, declarations, type.ToTypeString(), type.ToDisplayString(DisplayFormat), type.Name, hint.ToString());
    }

    private static string GetKeyword(INamedTypeSymbol type)
    {
        var prefix = new StringBuilder();
        if (type.TypeKind == TypeKind.Struct)
        {
            if (type.IsReadOnly)
            {
                prefix.Append("readonly ");
            }

            if (type.IsRefLikeType)
            {
                prefix.Append("ref ");
            }
        }

        prefix.Append("partial ");
        prefix.Append(type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        });
        return prefix.ToString();
    }

    private static string GetNameWithTypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0
            ? EscapeIdentifier(type.Name)
            : EscapeIdentifier(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(p => EscapeIdentifier(p.Name))) + ">";

    public static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>The namespace-qualified metadata name, e.g. <c>System.Threading.Tasks.Task`1</c>, without nullable annotations.</summary>
    public static string MetadataName(ITypeSymbol type)
    {
        var name = type.MetadataName;
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && MetadataName(attributeClass) == metadataName)
            {
                return attribute;
            }
        }

        return null;
    }

    public static T? NamedArgument<T>(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is T value)
            {
                return value;
            }
        }

        return default;
    }

    public static bool HasNamedArgument(AttributeData attribute, string name) => attribute.NamedArguments.Any(p => p.Key == name);
}
