using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using GopiAI.Toolkit.Analyzers;
using GopiAI.Toolkit.Analyzers.Growth;
using GopiAI.Toolkit.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GopiAI.Toolkit.CodeFixes.Growth;

/// <summary>
/// GOPI2005 (at an unbounded creation): <c>Channel.CreateUnbounded&lt;T&gt;(...)</c> becomes
/// <c>Channel.CreateBounded&lt;T&gt;(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.Wait, ... })</c>
/// keeping the options it had (SingleReader, SingleWriter, AllowSynchronousContinuations), so a slow consumer makes
/// producers wait instead of the queue growing; <c>new BlockingCollection&lt;T&gt;(...)</c> gets a bounded capacity.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BoundedQueueCodeFixProvider)), Shared]
public sealed class BoundedQueueCodeFixProvider : AnnotatedCodeFix
{
    private const string Capacity = "1000";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.GOPI2005_UnboundedProducerQueue.Id];

    /// <inheritdoc/>
    protected override string Title => "Bound the queue (producers wait when it is full)";

    /// <inheritdoc/>
    protected override RootEdit? Prepare(SyntaxNode node, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(UnboundedProducerQueueAnalyzer.CreationProperty))
        {
            return null;
        }

        switch (node.FirstAncestorOrSelf<ExpressionSyntax>(e => e is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax))
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "CreateUnbounded" } name } access } invocation
                when invocation.ArgumentList.Arguments.Count == 0 ||
                     (invocation.ArgumentList.Arguments.Count == 1 &&
                      invocation.ArgumentList.Arguments[0].Expression is BaseObjectCreationExpressionSyntax { ArgumentList: null or { Arguments.Count: 0 } }):
                var kept = invocation.ArgumentList.Arguments.Count == 1 &&
                           invocation.ArgumentList.Arguments[0].Expression is BaseObjectCreationExpressionSyntax { Initializer: { } initializer }
                    ? initializer.Expressions.Select(e => e.ToString()).ToList()
                    : [];
                // Written the way the file already names Channel: "Channel" means the namespace is imported.
                var prefix = access.Expression is IdentifierNameSyntax ? string.Empty : "System.Threading.Channels.";
                var options = "new " + prefix + "BoundedChannelOptions(" + Capacity + ") { " +
                              string.Join(", ", new[] { "FullMode = " + prefix + "BoundedChannelFullMode.Wait" }.Concat(kept)) + " }";
                var replacement = invocation
                    .WithExpression(access.WithName(name.WithIdentifier(Identifier("CreateBounded"))))
                    .WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(ParseExpression(options)))));
                return Replace(replacement);

            case BaseObjectCreationExpressionSyntax creation
                when model.GetTypeInfo(creation, cancellationToken).Type is INamedTypeSymbol { Name: "BlockingCollection" } &&
                     (creation.ArgumentList?.Arguments.Count ?? 0) <= 1:
                var arguments = creation.ArgumentList?.Arguments ?? default;
                var bounded = arguments.Count == 0
                    ? Argument(ParseExpression(Capacity)).WithNameColon(NameColon("boundedCapacity"))
                    : Argument(ParseExpression(Capacity));
                return Replace(creation.WithArgumentList(ArgumentList(arguments.Add(bounded))));

            default:
                return null;
        }

        static RootEdit Replace(ExpressionSyntax replacement) => (root, annotation) =>
            Find(root, annotation)?.FirstAncestorOrSelf<ExpressionSyntax>(e => e is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax) is { } target
                ? root.ReplaceNode(target, replacement.WithTriviaFrom(target))
                : root;
    }
}
