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
/// GOPI1003: disposes the owned member from the type's <c>Dispose(bool)</c> (inside <c>if (disposing)</c>),
/// <c>Dispose()</c> or <c>DisposeAsync()</c>; when the type inherits its Dispose, overrides <c>Dispose(bool)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeMemberCodeFixProvider)), Shared]
public sealed class DisposeMemberCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GOPI1003");

    /// <inheritdoc/>
    protected override string Title => "Dispose the member in Dispose";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        var declaration = node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() ?? (SyntaxNode?)node.FirstAncestorOrSelf<PropertyDeclarationSyntax>();
        if (declaration is null || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } member ||
            declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } typeDeclaration)
        {
            return null;
        }

        var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
        var target = FindDisposeMethod(typeDeclaration);
        var createOverride = false;
        if (target is null)
        {
            // Inherited Dispose: override the base's virtual Dispose(bool).
            createOverride = member.ContainingType.BaseType?.GetMembers("Dispose").OfType<IMethodSymbol>()
                .Any(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Boolean &&
                          (m.IsVirtual || m.IsOverride) && !m.IsSealed) == true;
            if (!createOverride)
            {
                return null;
            }
        }

        var canAwait = target is not null && target.Modifiers.Any(SyntaxKind.AsyncKeyword);
        if (DisposeStatements.For(member.Name, memberType, model.Compilation, canAwait) is not { } text)
        {
            return null;
        }

        return (root, annotation) =>
        {
            var type = Find(root, annotation)?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (type is null)
            {
                return root;
            }

            var eol = EndOfLine(root);
            var statement = Statement(text, eol);
            if (FindDisposeMethod(type) is { } method)
            {
                return root.ReplaceNode(method, AddTo(method, statement, eol));
            }

            if (!createOverride)
            {
                return root;
            }

            var created = (MethodDeclarationSyntax)ParseMemberDeclaration(
                "protected override void Dispose(bool disposing)" + eol + "{" + eol +
                "if (disposing)" + eol + "{" + eol + text + eol + "}" + eol + eol +
                "base.Dispose(disposing);" + eol + "}" + eol)!;
            return root.ReplaceNode(type, type.AddMembers(Tidy(created).WithLeadingTrivia(eol)));
        };
    }

    // Dispose(bool) first (the pattern's real work), then Dispose(), then DisposeAsync().
    internal static MethodDeclarationSyntax? FindDisposeMethod(TypeDeclarationSyntax type)
    {
        var methods = type.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null || m.ExpressionBody is not null).ToList();
        return methods.FirstOrDefault(m => m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 1)
            ?? methods.FirstOrDefault(m => m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 0 && !IsForwardingToDisposeBool(m, methods))
            ?? methods.FirstOrDefault(m => m.Identifier.ValueText == "DisposeAsync" && m.ParameterList.Parameters.Count == 0);
    }

    private static bool IsForwardingToDisposeBool(MethodDeclarationSyntax method, System.Collections.Generic.List<MethodDeclarationSyntax> methods) =>
        methods.Any(m => m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 1);

    internal static MethodDeclarationSyntax AddTo(MethodDeclarationSyntax method, StatementSyntax statement, SyntaxTrivia eol)
    {
        if (method.Body is null && method.ExpressionBody is { } arrow)
        {
            var isVoid = method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };
            var existing = isVoid
                ? (StatementSyntax)ExpressionStatement(arrow.Expression.WithoutTrivia())
                : ReturnStatement(arrow.Expression.WithoutTrivia());
            existing = Tidy(existing.WithTrailingTrivia(eol));
            var block = Tidy(isVoid ? Block(existing, statement) : Block(statement, existing));
            return method.WithExpressionBody(null).WithSemicolonToken(default)
                .WithParameterList(method.ParameterList.WithTrailingTrivia(eol))
                .WithBody(block.WithTrailingTrivia(method.SemicolonToken.TrailingTrivia));
        }

        var body = method.Body!;
        if (method.ParameterList.Parameters.Count == 1)
        {
            var flag = method.ParameterList.Parameters[0].Identifier.ValueText;
            var guard = body.Statements.OfType<IfStatementSyntax>()
                .FirstOrDefault(i => i.Condition is IdentifierNameSyntax id && id.Identifier.ValueText == flag && i.Statement is BlockSyntax);
            if (guard is not null)
            {
                var inner = (BlockSyntax)guard.Statement;
                return method.ReplaceNode(inner, inner.AddStatements(statement));
            }
        }

        var statements = body.Statements;
        var insertAt = statements.Count > 0 && statements.Last() is ReturnStatementSyntax ? statements.Count - 1 : statements.Count;
        return method.WithBody(body.WithStatements(statements.Insert(insertAt, statement)));
    }
}
