using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using GopiAI.Toolkit.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GopiAI.Toolkit.CodeFixes.Disposal;

/// <summary>GOPI1005: disposes the old value (<c>_f?.Dispose();</c>) right before the reassignment.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeBeforeReassignCodeFixProvider)), Shared]
public sealed class DisposeBeforeReassignCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GOPI1005");

    /// <inheritdoc/>
    protected override string Title => "Dispose the old value before reassigning";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is not { } assignment ||
            model.GetTypeInfo(assignment.Left, cancellationToken).Type is not { } type ||
            !DisposeStatements.IsSyncDisposable(type, model.Compilation))
        {
            return null;
        }

        var text = assignment.Left.WithoutTrivia().ToString() + (type.IsValueType ? "." : "?.") + "Dispose();";
        var canFix = assignment.Parent switch
        {
            ExpressionStatementSyntax => true,
            ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax method } => method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword },
            _ => false,
        };

        if (!canFix)
        {
            return null;
        }

        return (root, target) =>
        {
            if (Find(root, target)?.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is not { } found)
            {
                return root;
            }

            var eol = EndOfLine(root);
            var dispose = Statement(text, eol);
            switch (found.Parent)
            {
                case ExpressionStatementSyntax { Parent: BlockSyntax block } statement:
                    return root.ReplaceNode(block, block.WithStatements(block.Statements.Insert(block.Statements.IndexOf(statement), dispose.WithLeadingTrivia(statement.GetLeadingTrivia()))));

                case ExpressionStatementSyntax statement:
                    return root.ReplaceNode(statement, Tidy(Block(dispose, statement.WithoutLeadingTrivia().WithTrailingTrivia(eol))).WithTriviaFrom(statement));

                case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax method }:
                    var body = Tidy(Block(dispose, Statement(found.WithoutTrivia().ToString() + ";", eol)));
                    var updated = method.WithExpressionBody(null).WithSemicolonToken(default)
                        .WithParameterList(method.ParameterList.WithTrailingTrivia(eol))
                        .WithBody(body.WithTrailingTrivia(method.SemicolonToken.TrailingTrivia));
                    return root.ReplaceNode(method, updated);

                default:
                    return root;
            }
        };
    }
}
