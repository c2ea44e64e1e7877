using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GopiAI.Toolkit.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace GopiAI.Toolkit.CodeFixes.Usage;

/// <summary>Fixes GOPI0002: adds a private <c>{Name}Core</c> stub with the partial method's parameters and return type.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GenerateCoreCodeFix)), Shared]
public sealed class GenerateCoreCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.GOPI0002_MissingCore.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
        {
            return;
        }

        var name = method.Identifier.ValueText + "Core";
        context.RegisterCodeFix(
            CodeAction.Create("Generate '" + name + "'", ct => AddCoreAsync(context.Document, method, ct), nameof(GenerateCoreCodeFix)),
            context.Diagnostics);
    }

    private static async Task<Document> AddCoreAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var modifiers = SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword));
        if (method.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        }

        var parameters = SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(method.ParameterList.Parameters.Select(p =>
            p.WithAttributeLists(default).WithDefault(null).WithModifiers(SyntaxFactory.TokenList(p.Modifiers.Where(m => !m.IsKind(SyntaxKind.ThisKeyword)))))));
        var body = SyntaxFactory.Block(SyntaxFactory.ThrowStatement(
            SyntaxFactory.ObjectCreationExpression(SyntaxFactory.ParseTypeName("global::System.NotImplementedException").WithAdditionalAnnotations(Simplifier.Annotation))
                .WithArgumentList(SyntaxFactory.ArgumentList())));
        var core = SyntaxFactory.MethodDeclaration(method.ReturnType.WithoutTrivia(), method.Identifier.ValueText + "Core")
            .WithModifiers(modifiers)
            .WithParameterList(parameters)
            .WithBody(body)
            .WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);

        return document.WithSyntaxRoot(root.InsertNodesAfter(method, new SyntaxNode[] { core }));
    }
}
