using GopiAI.Toolkit.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.Cached;

/// <summary>Implements partial methods marked <c>[Cached]</c> (and <c>[Monitored]</c> as well, when both are present).</summary>
[Generator(LanguageNames.CSharp)]
public sealed class CachedGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.CachedAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => PartialMethodParser.Parse((IMethodSymbol)ctx.TargetSymbol, ctx.TargetNode, ct))
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.CachedMethods);

        context.RegisterSourceOutput(methods, static (spc, model) => spc.AddSource(model!.HintName, PartialMethodEmitter.Emit(model)));
    }
}
