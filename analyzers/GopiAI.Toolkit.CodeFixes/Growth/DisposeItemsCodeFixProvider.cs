using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using GopiAI.Toolkit.Analyzers;
using GopiAI.Toolkit.Analyzers.Growth;
using GopiAI.Toolkit.CodeFixes.Common;
using GopiAI.Toolkit.CodeFixes.Disposal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// GOPI2004 (on the field): disposes every item of the collection in the owner's <c>Dispose(bool)</c>,
/// <c>Dispose()</c> or <c>DisposeAsync()</c>, then clears it (the values of a dictionary). Not offered when the type
/// has no Dispose of its own (GOPI1004's fix makes it disposable first) or at a removal site.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeItemsCodeFixProvider)), Shared]
public sealed class DisposeItemsCodeFixProvider : AnnotatedCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.GOPI2004_DisposablesInCollectionNotDisposed.Id];

    /// <inheritdoc/>
    protected override string Title => "Dispose the items in Dispose";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(DisposablesInCollectionAnalyzer.OnFieldProperty))
        {
            return null;
        }

        var declaration = node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() ?? (SyntaxNode?)node.FirstAncestorOrSelf<PropertyDeclarationSyntax>();
        if (declaration is null || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } member ||
            declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } typeDeclaration ||
            DisposeMemberCodeFixProvider.FindDisposeMethod(typeDeclaration) is not { } disposeMethod ||
            (member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type) is not INamedTypeSymbol { TypeArguments.Length: > 0 } collection)
        {
            return null;
        }

        var isDictionary = collection.TypeArguments.Length == 2 && collection.GetMembers("Values").Length > 0;
        var element = isDictionary ? collection.TypeArguments[1] : collection.TypeArguments[0];
        var canAwait = disposeMethod.Modifiers.Any(SyntaxKind.AsyncKeyword);
        var item = UniqueInMember(disposeMethod, "item");
        if (DisposeStatements.For(item, element, model.Compilation, canAwait) is not { } disposeItem)
        {
            return null;
        }

        var source = member.Name + (isDictionary ? ".Values" : string.Empty);
        var clear = collection.GetMembers("Clear").Length > 0 ? member.Name + ".Clear();" : string.Empty;
        return (root, annotation) =>
        {
            var type = Find(root, annotation)?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (type is null || DisposeMemberCodeFixProvider.FindDisposeMethod(type) is not { } method)
            {
                return root;
            }

            var eol = EndOfLine(root);
            var statement = Statement("foreach (var " + item + " in " + source + ")" + eol + "{" + eol + disposeItem + eol + "}" + eol, eol);
            var updated = DisposeMemberCodeFixProvider.AddTo(method, statement, eol);
            if (clear.Length > 0)
            {
                updated = DisposeMemberCodeFixProvider.AddTo(updated, Statement(clear, eol), eol);
            }

            return root.ReplaceNode(method, updated);
        };
    }
}
