using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GopiAI.Toolkit.Analyzers;
using GopiAI.Toolkit.Analyzers.Growth;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// GOPI2003 fix: removes the handler with the matching <c>-=</c> in <c>Dispose</c> (or <c>DisposeAsync</c>), creating
/// <c>public void Dispose()</c> and implementing <c>IDisposable</c> when the type has neither. Offered for method-group
/// handlers whose publisher is reachable from <c>Dispose</c> (a static event, a field, a primary-constructor parameter, or
/// a constructor parameter the constructor stores in a field).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EventNeverUnsubscribedCodeFixProvider)), Shared]
public sealed class EventNeverUnsubscribedCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "GOPI2003.UnsubscribeInDispose";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.GOPI2003_EventNeverUnsubscribed.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(EventNeverUnsubscribedAnalyzer.UnsubscribeProperty, out var unsubscribe)
                || unsubscribe is null
                || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
                || !CanFix(type, model, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Unsubscribe in Dispose",
                    ct => ApplyAsync(context.Document, [diagnostic], ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static bool CanFix(TypeDeclarationSyntax type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (FindDisposeMethod(type) is not null)
        {
            return true;
        }

        // A base class that already implements IDisposable owns the dispose pattern: do not guess how to extend it.
        return model.GetDeclaredSymbol(type, cancellationToken) is INamedTypeSymbol symbol
            && !symbol.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable || i.Name == "IAsyncDisposable");
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var byType = new Dictionary<TypeDeclarationSyntax, List<string>>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (diagnostic.Properties.TryGetValue(EventNeverUnsubscribedAnalyzer.UnsubscribeProperty, out var unsubscribe)
                && unsubscribe is not null
                && root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type
                && CanFix(type, model, cancellationToken))
            {
                if (!byType.TryGetValue(type, out var statements))
                {
                    byType[type] = statements = [];
                }

                if (!statements.Contains(unsubscribe))
                {
                    statements.Add(unsubscribe);
                }
            }
        }

        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
        var newRoot = root.ReplaceNodes(byType.Keys, (original, current) => AddUnsubscriptions(current, byType[original], endOfLine.Length > 0 ? endOfLine : "\n"));
        return document.WithSyntaxRoot(newRoot);
    }

    private static TypeDeclarationSyntax AddUnsubscriptions(TypeDeclarationSyntax type, List<string> unsubscriptions, string endOfLine)
    {
        var statements = unsubscriptions
            .Select(u => SyntaxFactory.ParseStatement(u + ";")
                .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                .WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(endOfLine))
                .WithAdditionalAnnotations(Formatter.Annotation))
            .ToArray();

        if (FindDisposeMethod(type) is { } dispose)
        {
            return type.ReplaceNode(dispose, ExtendBody(dispose, statements));
        }

        var method = SyntaxFactory.MethodDeclaration(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword)), "Dispose")
            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
            .WithBody(SyntaxFactory.Block(statements))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var disposable = SyntaxFactory.SimpleBaseType(
            SyntaxFactory.ParseTypeName("global::System.IDisposable").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));

        var updated = type.AddMembers(method);
        if (updated.BaseList is null)
        {
            // Move the identifier's trailing line break after the new base list.
            var anchor = updated.TypeParameterList is not null ? (SyntaxNode)updated.TypeParameterList : null;
            var trailing = anchor?.GetTrailingTrivia() ?? updated.Identifier.TrailingTrivia;
            updated = anchor is not null
                ? updated.ReplaceNode(anchor, anchor.WithoutTrailingTrivia())
                : updated.WithIdentifier(updated.Identifier.WithTrailingTrivia());
            return updated.WithBaseList(
                SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(disposable))
                    .WithColonToken(SyntaxFactory.Token(SyntaxKind.ColonToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithTrailingTrivia(trailing));
        }

        return (TypeDeclarationSyntax)updated.AddBaseListTypes(disposable);
    }

    private static MethodDeclarationSyntax ExtendBody(MethodDeclarationSyntax method, StatementSyntax[] statements)
    {
        var returnsValue = method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };
        if (method.Body is { } body)
        {
            // Keep a trailing 'return' (DisposeAsync) last.
            var index = body.Statements.Count > 0 && body.Statements.Last() is ReturnStatementSyntax ? body.Statements.Count - 1 : body.Statements.Count;
            return method.WithBody(body.WithStatements(body.Statements.InsertRange(index, statements)));
        }

        if (method.ExpressionBody is { } expressionBody)
        {
            var existing = returnsValue
                ? (StatementSyntax)SyntaxFactory.ReturnStatement(expressionBody.Expression)
                : SyntaxFactory.ExpressionStatement(expressionBody.Expression);
            var all = returnsValue ? statements.Append(existing) : new[] { existing }.Concat(statements);
            return method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.ElasticMarker))
                .WithBody(SyntaxFactory.Block(all))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        return method;
    }

    private static MethodDeclarationSyntax? FindDisposeMethod(TypeDeclarationSyntax type)
    {
        MethodDeclarationSyntax? asyncDispose = null;
        foreach (var member in type.Members)
        {
            if (member is MethodDeclarationSyntax { ParameterList.Parameters.Count: 0 } method && (method.Body is not null || method.ExpressionBody is not null))
            {
                switch (method.Identifier.ValueText)
                {
                    case "Dispose":
                        return method;
                    case "DisposeAsync":
                        asyncDispose ??= method;
                        break;
                }
            }
        }

        return asyncDispose;
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => "Unsubscribe in Dispose";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await ApplyAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
