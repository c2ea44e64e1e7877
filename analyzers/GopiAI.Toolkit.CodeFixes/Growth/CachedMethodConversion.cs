using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// The second GOPI2002 fix: a method whose whole body is <c>_cache.GetOrAdd(parameter, factory)</c>, over a private
/// dictionary used nowhere else, becomes a <c>[Cached]</c> partial method (the generator writes the bounded cache) with
/// the factory moved into <c>{Method}Core</c>; the dictionary field is removed and the containing types made partial.
/// </summary>
internal static class CachedMethodConversion
{
    /// <summary>The attribute's metadata name: the conversion is offered only when the toolkit is referenced.</summary>
    public const string CachedAttributeMetadataName = "GopiAI.Toolkit.CachedAttribute";

    /// <summary>Applies the conversion for <paramref name="diagnostic"/> to <paramref name="editor"/> if it is feasible.</summary>
    public static bool TryApply(SyntaxEditor editor, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (model.Compilation.GetTypeByMetadataName(CachedAttributeMetadataName) is null
            || root.FindNode(diagnostic.Location.SourceSpan) is not VariableDeclaratorSyntax declarator
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax fieldDeclaration }
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol { DeclaredAccessibility: Accessibility.Private } field)
        {
            return false;
        }

        var uses = root.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Where(i => i.Identifier.ValueText == field.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol?.OriginalDefinition, field.OriginalDefinition))
            .ToList();
        if (uses.Count != 1)
        {
            return false;
        }

        ExpressionSyntax receiver = uses[0];
        if (receiver.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == receiver)
        {
            receiver = qualified;
        }

        if (receiver.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetOrAdd" } access
            || access.Expression != receiver
            || access.Parent is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } invocation
            || invocation.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || !IsWholeBody(method, invocation)
            || method.ParameterList.Parameters.Count != 1
            || method.TypeParameterList is not null
            || method.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword) || m.IsKind(SyntaxKind.AsyncKeyword) || m.IsKind(SyntaxKind.AbstractKeyword))
            || method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            || model.GetDeclaredSymbol(method.ParameterList.Parameters[0], cancellationToken) is not { } parameter
            || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(invocation.ArgumentList.Arguments[0].Expression, cancellationToken).Symbol, parameter)
            || CoreBody(invocation.ArgumentList.Arguments[1].Expression, parameter.Name, model, cancellationToken) is not { } coreBody)
        {
            return false;
        }

        var isStatic = method.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword));
        var core = SyntaxFactory.MethodDeclaration(method.ReturnType.WithoutTrivia(), method.Identifier.ValueText + "Core")
            .WithModifiers(SyntaxFactory.TokenList(isStatic
                ? [SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.StaticKeyword)]
                : new[] { SyntaxFactory.Token(SyntaxKind.PrivateKeyword) }))
            .WithParameterList(method.ParameterList.WithoutTrivia())
            .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(coreBody.WithoutTrivia()))
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
            .WithLeadingTrivia(SyntaxFactory.EndOfLine(EndOfLine(root)))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(EndOfLine(root)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute((NameSyntax)SyntaxFactory.ParseName("global::GopiAI.Toolkit.Cached")
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation))));
        var partialMethod = method
            .WithBody(null)
            .WithExpressionBody(null)
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
            .WithParameterList(method.ParameterList.WithoutTrailingTrivia())
            .WithModifiers(method.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)))
            .WithAttributeLists(method.AttributeLists.Insert(0, attribute))
            .WithTrailingTrivia(method.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        editor.InsertAfter(method, core);
        editor.ReplaceNode(method, partialMethod);
        editor.RemoveNode(fieldDeclaration);
        foreach (var type in method.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!type.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)))
            {
                editor.ReplaceNode(type, (current, _) =>
                {
                    var declaration = (TypeDeclarationSyntax)current;
                    return declaration.WithModifiers(declaration.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
                });
            }
        }

        return true;
    }

    private static string EndOfLine(SyntaxNode root)
    {
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
        return endOfLine.Length > 0 ? endOfLine : "\n";
    }

    private static bool IsWholeBody(MethodDeclarationSyntax method, InvocationExpressionSyntax invocation) =>
        method.ExpressionBody?.Expression == invocation
        || (method.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: var returned } && returned == invocation);

    /// <summary>The factory as an expression over the method's parameter, or null when it is not a simple lambda or method group.</summary>
    private static ExpressionSyntax? CoreBody(ExpressionSyntax factory, string parameterName, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (factory)
        {
            case SimpleLambdaExpressionSyntax { ExpressionBody: { } body, AsyncKeyword.RawKind: 0 } lambda:
                return Rename(body, lambda.Parameter, parameterName, model, cancellationToken);
            case ParenthesizedLambdaExpressionSyntax { ExpressionBody: { } body, ParameterList.Parameters.Count: 1, AsyncKeyword.RawKind: 0 } lambda:
                return Rename(body, lambda.ParameterList.Parameters[0], parameterName, model, cancellationToken);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax when model.GetSymbolInfo(factory, cancellationToken).Symbol is IMethodSymbol:
                return SyntaxFactory.InvocationExpression(
                    factory.WithoutTrivia(),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(parameterName)))));
            default:
                return null;
        }
    }

    private static ExpressionSyntax? Rename(ExpressionSyntax body, ParameterSyntax lambdaParameter, string parameterName, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(lambdaParameter, cancellationToken) is not { } symbol)
        {
            return null;
        }

        var references = body.DescendantNodesAndSelf()
            .OfType<IdentifierNameSyntax>()
            .Where(i => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, symbol));
        return body.ReplaceNodes(references, (original, _) => SyntaxFactory.IdentifierName(parameterName).WithTriviaFrom(original));
    }
}
