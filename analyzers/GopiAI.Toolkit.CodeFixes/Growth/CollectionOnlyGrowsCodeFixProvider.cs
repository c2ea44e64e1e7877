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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// GOPI2001 fixes. "Add a capacity check" declares <c>{Name}Capacity</c> next to the field and guards every growth
/// statement with <c>if (field.Count &lt; {Name}Capacity)</c>: once full, new entries are dropped (the analyzer then sees
/// the bound). Offered when every place the collection grows is a statement of its own. "Use a bounded LruCache"
/// (dictionaries, when the toolkit is referenced) is the GOPI2002 rewrite.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CollectionOnlyGrowsCodeFixProvider)), Shared]
public sealed class CollectionOnlyGrowsCodeFixProvider : CodeFixProvider
{
    private const string CapacityKey = "GOPI2001.Capacity";
    private const string LruCacheKey = "GOPI2001.LruCache";
    private const string DefaultCapacity = "10_000";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.GOPI2001_CollectionOnlyGrows.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CapacityPlan(root, model, diagnostic, context.CancellationToken) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Add a capacity check", ct => AddCapacityCheckAsync(document, diagnostic, ct), CapacityKey),
                    diagnostic);
            }

            if (model.Compilation.GetTypeByMetadataName("GopiAI.Toolkit.Caching.LruCache`2") is not null &&
                diagnostic.Properties.TryGetValue("Kind", out var kind) && kind == "Dictionary" &&
                UnboundedMemoCacheCodeFixProvider.TryRewrite(new SyntaxEditor(root, document.Project.Solution.Services), root, model, diagnostic, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use a bounded LruCache", ct => UseLruCacheAsync(document, diagnostic, ct), LruCacheKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> UseLruCacheAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        UnboundedMemoCacheCodeFixProvider.TryRewrite(editor, root, model, diagnostic, cancellationToken);
        return await Tidy(document.WithSyntaxRoot(editor.GetChangedRoot()), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> AddCapacityCheckAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || CapacityPlan(root, model, diagnostic, cancellationToken) is not { } plan)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        var constant = ParseMemberDeclaration("private const int " + plan.ConstantName + " = " + DefaultCapacity + ";")!
            .WithLeadingTrivia(plan.Field.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(plan.Field.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertAfter(plan.Field, constant);
        foreach (var (statement, receiver) in plan.Sites)
        {
            var guarded = IfStatement(
                    BinaryExpression(
                        SyntaxKind.LessThanExpression,
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName("Count")),
                        IdentifierName(plan.ConstantName)),
                    Block(statement.WithoutTrivia()))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(statement, guarded);
        }

        return await Tidy(document.WithSyntaxRoot(editor.GetChangedRoot()), cancellationToken).ConfigureAwait(false);
    }

    private sealed class Plan(FieldDeclarationSyntax field, string constantName, ImmutableArray<(ExpressionStatementSyntax Statement, ExpressionSyntax Receiver)> sites)
    {
        public FieldDeclarationSyntax Field { get; } = field;

        public string ConstantName { get; } = constantName;

        public ImmutableArray<(ExpressionStatementSyntax Statement, ExpressionSyntax Receiver)> Sites { get; } = sites;
    }

    // The field, a free constant name, and each growth site as a statement of its own with the collection it grows.
    private static Plan? CapacityPlan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan) is not VariableDeclaratorSyntax declarator ||
            declarator.FirstAncestorOrSelf<FieldDeclarationSyntax>() is not { } field ||
            model.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol symbol ||
            symbol.Type.GetMembers("Count").IsEmpty ||
            diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var sites = ImmutableArray.CreateBuilder<(ExpressionStatementSyntax, ExpressionSyntax)>();
        foreach (var location in diagnostic.AdditionalLocations)
        {
            if (location.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            ExpressionSyntax? receiver = node switch
            {
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression,
                AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax element } => element.Expression,
                _ => null,
            };

            if (receiver is null || node.Parent is not ExpressionStatementSyntax statement)
            {
                return null;
            }

            sites.Add((statement, receiver));
        }

        var baseName = symbol.Name.TrimStart('_');
        if (baseName.StartsWith("s_", System.StringComparison.Ordinal) || baseName.StartsWith("m_", System.StringComparison.Ordinal))
        {
            baseName = baseName.Substring(2);
        }

        baseName = baseName.Length == 0 ? "Items" : char.ToUpperInvariant(baseName[0]) + baseName.Substring(1);
        var name = baseName + "Capacity";
        for (var i = 2; !symbol.ContainingType.GetMembers(name).IsEmpty; i++)
        {
            name = baseName + "Capacity" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Plan(field, name, sites.ToImmutable());
    }

    private static async Task<Document> Tidy(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
