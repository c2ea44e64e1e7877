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
/// GOPI1001/GOPI1002: disposes the created value with a <c>using</c> declaration. <c>var s = File.OpenRead(p);</c>
/// becomes <c>using var s = ...;</c>; a discarded or temporary creation is moved into a new <c>using var</c> local
/// declared just before its statement. Shapes where that would change behaviour (the local is returned or reassigned,
/// the creation is evaluated conditionally or inside a loop condition, no enclosing block) get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddUsingCodeFixProvider)), Shared]
public sealed class AddUsingCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GOPI1001", "GOPI1002");

    /// <inheritdoc/>
    protected override string Title => "Dispose with a using declaration";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        var expression = node is ArgumentSyntax argument ? argument.Expression : node as ExpressionSyntax;
        if (expression is null || model.GetTypeInfo(expression, cancellationToken).Type is not { } type)
        {
            return null;
        }

        var disposable = model.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        var isAsyncOnly = !type.AllInterfaces.Contains(disposable) && !SymbolEqualityComparer.Default.Equals(type, disposable) && !type.IsRefLikeType;
        var parent = expression.Parent is ParenthesizedExpressionSyntax p ? p.Parent : expression.Parent;

        // var s = <creation>;  ->  using var s = <creation>;
        if (parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } &&
            declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } &&
            declarator.Parent.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } declaration &&
            declaration.Parent is BlockSyntax && // a using declaration directly in a switch section does not compile (CS8647)
            model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol local &&
            !IsReturnedOrReassigned(declaration.Parent, local, model, cancellationToken))
        {
            return (root, target) =>
            {
                var statement = Find(root, target)?.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>();
                if (statement is null)
                {
                    return root;
                }

                var updated = statement
                    .WithUsingKeyword(Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(Space))
                    .WithAwaitKeyword(isAsyncOnly ? Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space) : default)
                    .WithLeadingTrivia(statement.GetLeadingTrivia());
                updated = updated.WithDeclaration(updated.Declaration.WithoutLeadingTrivia());
                return root.ReplaceNode(statement, updated);
            };
        }

        // <creation>;  or  _ = <creation>;  ->  using var fileStream = <creation>;
        var statementOfDiscard = parent switch
        {
            ExpressionStatementSyntax s => s,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax s } => s,
            _ => null,
        };

        if (statementOfDiscard is null && parent is EqualsValueClauseSyntax or AssignmentExpressionSyntax)
        {
            return null; // stored in a local that escapes somewhere: a using would dispose a live value.
        }

        var enclosing = statementOfDiscard ?? expression.FirstAncestorOrSelf<StatementSyntax>();
        if (enclosing?.Parent is not BlockSyntax ||
            (statementOfDiscard is null && !CanHoist(expression, enclosing)))
        {
            return null;
        }

        var name = UniqueLocalName(model, enclosing.SpanStart, CamelCase(type.Name));
        var awaitPrefix = isAsyncOnly ? "await " : string.Empty;
        return (root, target) =>
        {
            if (Find(root, target) is not ExpressionSyntax found ||
                found.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
            {
                return root;
            }

            var unique = UniqueInMember(statement, name);
            var declaration = Tidy(ParseStatement(awaitPrefix + "using var " + unique + " = " + found.WithoutTrivia().ToFullString() + ";")
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(statement.GetTrailingTrivia()));
            var index = block.Statements.IndexOf(statement);
            var statements = statementOfDiscard is not null
                ? block.Statements.RemoveAt(index).Insert(index, declaration.WithTrailingTrivia(statement.GetTrailingTrivia()))
                : block.Statements.Replace(statement, statement.ReplaceNode(found, IdentifierName(unique).WithTriviaFrom(found))).Insert(index, declaration);
            return root.ReplaceNode(block, block.WithStatements(statements));
        };
    }

    private static bool CanHoist(ExpressionSyntax expression, StatementSyntax statement)
    {
        if (statement is not (ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax))
        {
            return false;
        }

        for (var current = expression.Parent; current is not null && current != statement; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                case ConditionalExpressionSyntax:
                case ConditionalAccessExpressionSyntax:
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression) || binary.IsKind(SyntaxKind.CoalesceExpression):
                case SwitchExpressionSyntax:
                    return false;
            }
        }

        return true;
    }

    private static bool IsReturnedOrReassigned(SyntaxNode scope, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name ||
                !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
            {
                continue;
            }

            var parent = identifier.Parent;
            if (parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax or YieldStatementSyntax ||
                parent is AssignmentExpressionSyntax assignment && (assignment.Left == identifier || assignment.Right == identifier) ||
                parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 } ||
                parent is EqualsValueClauseSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
