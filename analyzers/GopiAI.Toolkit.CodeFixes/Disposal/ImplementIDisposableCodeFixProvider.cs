using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using GopiAI.Toolkit.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GopiAI.Toolkit.CodeFixes.Disposal;

/// <summary>
/// GOPI1004: implements <c>IDisposable</c> (or <c>IAsyncDisposable</c> when a member can only be disposed
/// asynchronously) with a <c>Dispose</c>/<c>DisposeAsync</c> that disposes every owned member.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ImplementIDisposableCodeFixProvider)), Shared]
public sealed class ImplementIDisposableCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GOPI1004");

    /// <inheritdoc/>
    protected override string Title => "Implement IDisposable";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } typeDeclaration ||
            model.GetDeclaredSymbol(typeDeclaration, cancellationToken) is not { } type ||
            !diagnostic.Properties.TryGetValue("Members", out var joined) || string.IsNullOrEmpty(joined))
        {
            return null;
        }

        var members = new List<(string Name, ITypeSymbol Type)>();
        foreach (var name in joined!.Split(';'))
        {
            var symbol = type.GetMembers(name).FirstOrDefault();
            var memberType = symbol switch
            {
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };

            if (memberType is not null)
            {
                members.Add((name, memberType));
            }
        }

        if (members.Count == 0)
        {
            return null;
        }

        var isAsync = members.Any(m => !DisposeStatements.IsSyncDisposable(m.Type, model.Compilation));
        var statements = members.Select(m => DisposeStatements.For(m.Name, m.Type, model.Compilation, canAwait: isAsync)!).ToList();
        var interfaceName = isAsync ? "global::System.IAsyncDisposable" : "global::System.IDisposable";
        var signature = isAsync ? "public async global::System.Threading.Tasks.ValueTask DisposeAsync()" : "public void Dispose()";

        return (root, annotation) =>
        {
            if (Find(root, annotation)?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } current)
            {
                return root;
            }

            var eol = EndOfLine(root);
            var method = (MemberDeclarationSyntax)ParseMemberDeclaration(
                signature + eol + "{" + eol + string.Join(eol.ToFullString(), statements) + eol + "}" + eol)!;
            var baseType = SimpleBaseType(ParseTypeName(interfaceName)).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);

            TypeDeclarationSyntax updated;
            if (current.BaseList is { } baseList)
            {
                var last = baseList.Types.Last();
                var trimmed = baseList.ReplaceNode(last, last.WithoutTrailingTrivia());
                updated = current.WithBaseList(trimmed.AddTypes(baseType.WithTrailingTrivia(last.GetTrailingTrivia())));
            }
            else
            {
                // Move the trivia after the name (usually the newline before '{') behind the new base list.
                var lastToken = current.TypeParameterList?.GetLastToken() ?? current.Identifier;
                var trailing = lastToken.TrailingTrivia;
                updated = current.ReplaceToken(lastToken, lastToken.WithTrailingTrivia());
                updated = updated.WithBaseList(BaseList(Token(SyntaxKind.ColonToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space), SingletonSeparatedList<BaseTypeSyntax>(baseType.WithTrailingTrivia(trailing))));
            }

            updated = updated.AddMembers(Tidy(method).WithLeadingTrivia(eol));
            return root.ReplaceNode(current, updated);
        };
    }
}
