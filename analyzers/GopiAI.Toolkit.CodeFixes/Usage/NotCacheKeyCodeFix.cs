using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using GopiAI.Toolkit.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace GopiAI.Toolkit.CodeFixes.Usage;

/// <summary>Fixes GOPI0006: marks the parameter <c>[NotCacheKey]</c> so it no longer takes part in the cache key.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NotCacheKeyCodeFix)), Shared]
public sealed class NotCacheKeyCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.GOPI0006_KeyWithoutValueEquality.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Leave '" + parameter.Identifier.ValueText + "' out of the cache key", ct => AddAttributeAsync(context.Document, parameter, ct), nameof(NotCacheKeyCodeFix)),
            context.Diagnostics);
    }

    private static async Task<Document> AddAttributeAsync(Document document, ParameterSyntax parameter, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::GopiAI.Toolkit.NotCacheKey").WithAdditionalAnnotations(Simplifier.Annotation))))
            .WithTrailingTrivia(SyntaxFactory.Space);
        var updated = parameter.WithoutLeadingTrivia().AddAttributeLists(attribute).WithLeadingTrivia(parameter.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(parameter, updated));
    }
}
