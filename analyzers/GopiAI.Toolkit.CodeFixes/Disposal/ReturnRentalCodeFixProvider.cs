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
/// GOPI1006: returns the rental on every path. A <c>[Pooled]</c> type with <c>RentScoped()</c> gets the scoped
/// lease (<c>using var lease = T.RentScoped(); var x = lease.Value;</c>); <c>ArrayPool</c>/<c>ObjectPool</c> rentals
/// get the rest of the block wrapped in <c>try { ... } finally { pool.Return(x); }</c>. Existing <c>Return(x)</c>
/// statements in the block are removed, so nothing is returned twice.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnRentalCodeFixProvider)), Shared]
public sealed class ReturnRentalCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GOPI1006");

    /// <inheritdoc/>
    protected override string Title => "Return the rented object on every path";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Expression: MemberAccessExpressionSyntax access } invocation ||
            invocation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } ||
            declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } ||
            declarator.Parent.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Parent: BlockSyntax } ||
            model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var local = declarator.Identifier.ValueText;
        var receiver = access.Expression.WithoutTrivia().ToString();
        var scoped = method.IsStatic && method.ContainingType.GetMembers("RentScoped").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 0);

        return (root, annotation) =>
        {
            if (Find(root, annotation)?.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax block } statement)
            {
                return root;
            }

            var eol = EndOfLine(root);
            var index = block.Statements.IndexOf(statement);
            var rest = new System.Collections.Generic.List<StatementSyntax>();
            var pendingTrivia = default(SyntaxTriviaList?);
            foreach (var following in block.Statements.Skip(index + 1))
            {
                if (IsReturnOf(following, receiver, local))
                {
                    pendingTrivia ??= following.GetLeadingTrivia(); // keep a blank line that preceded the removed Return
                    continue;
                }

                rest.Add(pendingTrivia is { } trivia ? following.WithLeadingTrivia(trivia) : following);
                pendingTrivia = null;
            }

            var before = block.Statements.Take(index).ToList();
            if (scoped)
            {
                var lease = UniqueInMember(statement, local + "Lease");
                var leaseDeclaration = Statement("using var " + lease + " = " + receiver + ".RentScoped();", eol).WithLeadingTrivia(statement.GetLeadingTrivia());
                var valueDeclaration = Statement("var " + local + " = " + lease + ".Value;", eol);
                return root.ReplaceNode(block, block.WithStatements(List(before.Concat(new[] { leaseDeclaration, valueDeclaration }).Concat(rest))));
            }

            var tryStatement = Tidy(TryStatement(
                Block(rest),
                default,
                FinallyClause(Block(Statement(receiver + ".Return(" + local + ");", eol)))).WithTrailingTrivia(eol));
            return root.ReplaceNode(block, block.WithStatements(List(before.Concat(new StatementSyntax[] { statement, tryStatement }))));
        };
    }

    private static bool IsReturnOf(StatementSyntax statement, string receiver, string local) =>
        statement is ExpressionStatementSyntax
        {
            Expression: InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Return" } access,
                ArgumentList.Arguments: { Count: > 0 } arguments,
            },
        } &&
        access.Expression.WithoutTrivia().ToString() == receiver &&
        arguments[0].Expression is IdentifierNameSyntax id && id.Identifier.ValueText == local;
}
