using System.Collections.Generic;
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

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// GOPI2002 fixes. "Use a bounded LruCache" replaces the dictionary used as a cache with the toolkit's
/// <c>LruCache&lt;TKey, TValue&gt;</c> bounded to 1000 entries, rewriting its uses (<c>TryGetValue</c> → <c>TryGet</c>,
/// indexer set / <c>TryAdd</c> → <c>Set</c>, <c>TryRemove</c> → <c>Invalidate</c>); offered only when the toolkit is
/// referenced and every use of the field has an LruCache equivalent. "Make it a [Cached] partial method" is offered
/// when the cache serves exactly one method (see <see cref="CachedMethodConversion"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedMemoCacheCodeFixProvider)), Shared]
public sealed class UnboundedMemoCacheCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "GOPI2002.LruCache";
    private const string CachedEquivalenceKey = "GOPI2002.Cached";
    private const string LruCacheMetadataName = "GopiAI.Toolkit.Caching.LruCache`2";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.GOPI2002_UnboundedMemoCache.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

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

        var hasLruCache = model.Compilation.GetTypeByMetadataName(LruCacheMetadataName) is not null;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (hasLruCache && TryRewrite(new SyntaxEditor(root, document.Project.Solution.Services), root, model, diagnostic, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use a bounded LruCache", ct => ApplyAsync(document, [diagnostic], EquivalenceKey, ct), EquivalenceKey),
                    diagnostic);
            }

            if (CachedMethodConversion.TryApply(new SyntaxEditor(root, document.Project.Solution.Services), root, model, diagnostic, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make it a [Cached] partial method", ct => ApplyAsync(document, [diagnostic], CachedEquivalenceKey, ct), CachedEquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        foreach (var diagnostic in diagnostics)
        {
            if (equivalenceKey == CachedEquivalenceKey)
            {
                if (CachedMethodConversion.TryApply(new SyntaxEditor(root, document.Project.Solution.Services), root, model, diagnostic, cancellationToken))
                {
                    CachedMethodConversion.TryApply(editor, root, model, diagnostic, cancellationToken);
                }
            }
            else if (TryRewrite(new SyntaxEditor(root, document.Project.Solution.Services), root, model, diagnostic, cancellationToken))
            {
                TryRewrite(editor, root, model, diagnostic, cancellationToken);
            }
        }

        document = document.WithSyntaxRoot(editor.GetChangedRoot());
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static bool TryRewrite(SyntaxEditor editor, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan) is not VariableDeclaratorSyntax declarator
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || declaration.Parent is not FieldDeclarationSyntax
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol field
            || field.Type is not INamedTypeSymbol { TypeArguments.Length: 2 } dictionaryType)
        {
            return false;
        }

        var cacheType = SyntaxFactory.ParseTypeName(
                "global::GopiAI.Toolkit.Caching.LruCache<"
                + dictionaryType.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ", "
                + dictionaryType.TypeArguments[1].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        var edits = new List<(SyntaxNode Node, SyntaxNode Replacement)>
        {
            (declaration.Type, cacheType.WithTriviaFrom(declaration.Type)),
        };

        if (declarator.Initializer is { } initializer)
        {
            if (!IsPlainCreation(initializer.Value))
            {
                return false;
            }

            edits.Add((initializer.Value, NewCache(cacheType).WithTriviaFrom(initializer.Value)));
        }

        foreach (var identifier in root.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != field.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition, field.OriginalDefinition))
            {
                continue;
            }

            if (!TryRewriteUse(identifier, cacheType, model, edits, cancellationToken))
            {
                return false;
            }
        }

        foreach (var (node, replacement) in edits)
        {
            editor.ReplaceNode(node, replacement);
        }

        return true;
    }

    private static bool TryRewriteUse(
        IdentifierNameSyntax identifier,
        TypeSyntax cacheType,
        SemanticModel model,
        List<(SyntaxNode Node, SyntaxNode Replacement)> edits,
        CancellationToken cancellationToken)
    {
        ExpressionSyntax expression = identifier;
        if (identifier.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == identifier)
        {
            expression = qualified;
        }

        switch (expression.Parent)
        {
            // _cache = new Dictionary<K, V>();
            case AssignmentExpressionSyntax assignment when assignment.Left == expression && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                if (!IsPlainCreation(assignment.Right))
                {
                    return false;
                }

                edits.Add((assignment.Right, NewCache(cacheType).WithTriviaFrom(assignment.Right)));
                return true;

            // _cache[key] = value;  →  _cache.Set(key, value);
            case ElementAccessExpressionSyntax element when element.Expression == expression:
                if (element.Parent is not AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax } set
                    || set.Left != element
                    || !set.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    || element.ArgumentList.Arguments.Count != 1)
                {
                    return false;
                }

                edits.Add((set, Invoke(expression, "Set", element.ArgumentList.Arguments[0], SyntaxFactory.Argument(set.Right)).WithTriviaFrom(set)));
                return true;

            case MemberAccessExpressionSyntax access when access.Expression == expression:
                return TryRewriteMemberUse(access, model, edits, cancellationToken);

            default:
                return false;
        }
    }

    private static bool TryRewriteMemberUse(
        MemberAccessExpressionSyntax access,
        SemanticModel model,
        List<(SyntaxNode Node, SyntaxNode Replacement)> edits,
        CancellationToken cancellationToken)
    {
        var name = access.Name.Identifier.ValueText;
        if (access.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != access)
        {
            return name == "Count";
        }

        var arguments = invocation.ArgumentList.Arguments;
        var isStatement = invocation.Parent is ExpressionStatementSyntax;
        switch (name)
        {
            case "Clear":
                return true;
            case "GetOrAdd" when arguments.Count == 3:
                return true;
            case "GetOrAdd" when arguments.Count == 2:
                if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 2 } method
                    && method.Parameters[1].Type.TypeKind == TypeKind.Delegate)
                {
                    return true;
                }

                // GetOrAdd(key, value)  →  GetOrAdd(key, _ => value)
                var lambda = SyntaxFactory.SimpleLambdaExpression(SyntaxFactory.Parameter(SyntaxFactory.Identifier("_")), arguments[1].Expression.WithoutTrivia());
                edits.Add((arguments[1], SyntaxFactory.Argument(lambda).WithTriviaFrom(arguments[1])));
                return true;
            case "TryGetValue" when arguments.Count == 2:
                edits.Add((access.Name, SyntaxFactory.IdentifierName("TryGet").WithTriviaFrom(access.Name)));
                return true;
            case "ContainsKey" when arguments.Count == 1:
                edits.Add((invocation, Invoke(access.Expression, "TryGet", arguments[0], DiscardOut()).WithTriviaFrom(invocation)));
                return true;
            case "TryAdd" or "Add" when arguments.Count == 2 && isStatement:
                edits.Add((access.Name, SyntaxFactory.IdentifierName("Set").WithTriviaFrom(access.Name)));
                return true;
            case "Remove" when arguments.Count == 1:
            case "TryRemove" when arguments.Count == 2 && IsDiscardOut(arguments[1]):
                edits.Add((invocation, Invoke(access.Expression, "Invalidate", arguments[0]).WithTriviaFrom(invocation)));
                return true;
            default:
                return false;
        }
    }

    private static bool IsPlainCreation(ExpressionSyntax value) => value switch
    {
        ObjectCreationExpressionSyntax creation => creation.ArgumentList is null or { Arguments.Count: 0 } && creation.Initializer is null,
        ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList.Arguments.Count == 0 && implicitCreation.Initializer is null,
        CollectionExpressionSyntax collection => collection.Elements.Count == 0,
        _ => false,
    };

    private static bool IsDiscardOut(ArgumentSyntax argument) =>
        argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)
        && argument.Expression is IdentifierNameSyntax { Identifier.ValueText: "_" } or DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax };

    private static ArgumentSyntax DiscardOut() =>
        SyntaxFactory.Argument(SyntaxFactory.IdentifierName("_")).WithRefKindKeyword(SyntaxFactory.Token(SyntaxKind.OutKeyword));

    private static InvocationExpressionSyntax Invoke(ExpressionSyntax receiver, string method, params ArgumentSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), SyntaxFactory.IdentifierName(method)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => a.WithoutTrivia()))));

    private static ExpressionSyntax NewCache(TypeSyntax cacheType) =>
        SyntaxFactory.ParseExpression("new " + cacheType.ToString() + "(new global::GopiAI.Toolkit.Caching.LruCacheOptions { MaxSize = 1000 })")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => "Use bounded LruCaches";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await ApplyAsync(document, diagnostics, fixAllContext.CodeActionEquivalenceKey, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
