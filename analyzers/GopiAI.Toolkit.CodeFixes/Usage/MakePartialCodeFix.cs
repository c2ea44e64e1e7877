using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GopiAI.Toolkit.Analyzers;
using GopiAI.Toolkit.Analyzers.Usage;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace GopiAI.Toolkit.CodeFixes.Usage;

/// <summary>
/// Fixes GOPI0001: adds <c>partial</c> to the type and its containing types, or turns a method with a body into a
/// partial declaration plus a private <c>{Name}Core</c> method that keeps the body.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.GOPI0001_NotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(UsageSyntax.FixKind, out var kind))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan);
            if (kind == UsageSyntax.FixTypesPartial && node.FirstAncestorOrSelf<MemberDeclarationSyntax>() is { } member)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make the containing types partial", ct => MakeTypesPartialAsync(context.Document, member, ct), nameof(UsageSyntax.FixTypesPartial)),
                    diagnostic);
            }
            else if (kind == UsageSyntax.FixMethodToPartial && node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make partial and move the body to '" + method.Identifier.ValueText + "Core'", ct => MoveBodyToCoreAsync(context.Document, method, ct), nameof(UsageSyntax.FixMethodToPartial)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> MakeTypesPartialAsync(Document document, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var types = member.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
        var newRoot = root.ReplaceNodes(types, (original, rewritten) => AddPartial((TypeDeclarationSyntax)rewritten));
        return document.WithSyntaxRoot(newRoot);
    }

    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count == 0)
        {
            // Keep the leading trivia (comments, indentation) on the first token of the declaration.
            var keyword = type.Keyword;
            return type.WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }

        return type.WithModifiers(type.Modifiers.Add(partial));
    }

    private static async Task<Document> MoveBodyToCoreAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var isStatic = method.Modifiers.Any(SyntaxKind.StaticKeyword);
        var isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);

        var coreModifiers = new List<SyntaxToken> { SyntaxFactory.Token(SyntaxKind.PrivateKeyword) };
        if (isStatic)
        {
            coreModifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        }

        if (isAsync)
        {
            coreModifiers.Add(SyntaxFactory.Token(SyntaxKind.AsyncKeyword));
        }

        var coreParameters = SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(method.ParameterList.Parameters.Select(p =>
            p.WithAttributeLists(default).WithDefault(null).WithModifiers(SyntaxFactory.TokenList(p.Modifiers.Where(m => !m.IsKind(SyntaxKind.ThisKeyword)))))));
        var core = method
            .WithAttributeLists(default)
            .WithModifiers(SyntaxFactory.TokenList(coreModifiers))
            .WithIdentifier(SyntaxFactory.Identifier(method.Identifier.ValueText + "Core"))
            .WithParameterList(coreParameters)
            .WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);

        var partialModifiers = SyntaxFactory.TokenList(method.Modifiers.Where(m => !m.IsKind(SyntaxKind.AsyncKeyword)))
            .Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        var declaration = method
            .WithModifiers(partialModifiers)
            .WithBody(null)
            .WithExpressionBody(null)
            .WithParameterList(method.ParameterList.WithTrailingTrivia())
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(method.GetTrailingTrivia()));

        var newRoot = root.ReplaceNode(method, new SyntaxNode[] { declaration, core });
        var type = newRoot.GetAnnotatedNodes(Formatter.Annotation).First().FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (type is not null)
        {
            var nonPartial = type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
            newRoot = newRoot.ReplaceNodes(nonPartial, (original, rewritten) => AddPartial((TypeDeclarationSyntax)rewritten));
        }

        return document.WithSyntaxRoot(newRoot);
    }
}
