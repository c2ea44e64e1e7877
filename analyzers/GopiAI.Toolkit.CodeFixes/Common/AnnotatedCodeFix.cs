using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace GopiAI.Toolkit.CodeFixes.Common;

/// <summary>
/// Rewrites one syntax root for one diagnostic. The node it was prepared for is found through
/// <paramref name="target"/>, so several fixes compose on the same root (Fix All).
/// </summary>
/// <param name="root">The current root, possibly already changed by other fixes.</param>
/// <param name="target">The annotation on the diagnostic's node.</param>
public delegate SyntaxNode RootEdit(SyntaxNode root, SyntaxAnnotation target);

/// <summary>
/// Base for code fixes that (1) inspect the diagnostic's node with the original semantic model, (2) annotate every
/// diagnostic node, and (3) apply the edits one after another on the annotated root. The same path serves a single
/// fix and Fix All (document, project, solution), so edits that touch the same method or block compose instead of
/// conflicting. Inserted nodes carry <see cref="Formatter.Annotation"/> and <see cref="Simplifier.Annotation"/>.
/// </summary>
public abstract class AnnotatedCodeFix : CodeFixProvider
{
    /// <summary>The code action title.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create((context, document, diagnostics) => ApplyAsync(document, diagnostics, context.CancellationToken));

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Prepare(node, diagnostic, model, context.CancellationToken) is null)
            {
                continue;
            }

            var single = ImmutableArray.Create(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => ApplyAsync(context.Document, single, ct)!, equivalenceKey: GetType().Name),
                diagnostic);
        }
    }

    /// <summary>
    /// Inspects <paramref name="node"/> (the node at the diagnostic's span) and returns the edit, or null when this
    /// shape has no safe fix.
    /// </summary>
    protected abstract RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken);

    private async Task<Document?> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var edits = new List<(SyntaxNode Node, SyntaxAnnotation Annotation, RootEdit Edit)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Prepare(node, diagnostic, model, cancellationToken) is { } edit)
            {
                edits.Add((node, new SyntaxAnnotation(), edit));
            }
        }

        if (edits.Count == 0)
        {
            return document;
        }

        var byNode = edits.GroupBy(e => e.Node).ToDictionary(g => g.Key, g => g.Select(e => e.Annotation).ToArray());
        var current = root.ReplaceNodes(byNode.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(byNode[original]));
        foreach (var (_, annotation, edit) in edits)
        {
            cancellationToken.ThrowIfCancellationRequested();
            current = edit(current, annotation);
        }

        var changed = document.WithSyntaxRoot(current);
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The node carrying <paramref name="annotation"/>, or null when an earlier edit removed it.</summary>
    protected static SyntaxNode? Find(SyntaxNode root, SyntaxAnnotation annotation) =>
        root.GetAnnotatedNodes(annotation).FirstOrDefault();

    /// <summary>Marks <paramref name="node"/> for formatting and simplification.</summary>
    protected static T Tidy<T>(T node)
        where T : SyntaxNode =>
        node.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);

    /// <summary>A name based on <paramref name="baseName"/> that no symbol in scope at <paramref name="position"/> uses.</summary>
    protected static string UniqueLocalName(SemanticModel model, int position, string baseName)
    {
        var taken = new HashSet<string>(model.LookupSymbols(position).Select(s => s.Name), StringComparer.Ordinal);
        var name = baseName;
        for (var i = 1; taken.Contains(name) || Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None; i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>
    /// <paramref name="preferred"/>, or the same name with a number, such that no local, parameter or local function
    /// declared in the member around <paramref name="node"/> (in the current, possibly already edited, root) uses it.
    /// Fix All computes names from the original model, so two fixes in one member need this second check.
    /// </summary>
    protected static string UniqueInMember(SyntaxNode node, string preferred)
    {
        var member = node.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>() ?? node;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descendant in member.DescendantNodes())
        {
            switch (descendant)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax v:
                    declared.Add(v.Identifier.ValueText);
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.ParameterSyntax p:
                    declared.Add(p.Identifier.ValueText);
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.SingleVariableDesignationSyntax d:
                    declared.Add(d.Identifier.ValueText);
                    break;
            }
        }

        if (!declared.Contains(preferred))
        {
            return preferred;
        }

        var stem = preferred.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        for (var i = 1; ; i++)
        {
            var candidate = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!declared.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>The document's line ending (the first one found), so inserted code matches the file.</summary>
    protected static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ElasticLineFeed;
    }

    /// <summary>Parses one statement and marks it for formatting, ending it with <paramref name="endOfLine"/>.</summary>
    protected static Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax Statement(string text, SyntaxTrivia endOfLine) =>
        Tidy(Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseStatement(text).WithTrailingTrivia(endOfLine));

    /// <summary>camelCase of a type name: <c>FileStream</c> becomes <c>fileStream</c>.</summary>
    protected static string CamelCase(string typeName) =>
        typeName.Length == 0 ? "value" : char.ToLowerInvariant(typeName[0]) + typeName.Substring(1);
}
