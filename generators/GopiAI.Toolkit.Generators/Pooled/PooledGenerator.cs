using GopiAI.Toolkit.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.Pooled;

/// <summary>Adds <c>Rent</c>, <c>Return</c> and <c>RentScoped</c> to classes marked <c>[Pooled]</c>.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class PooledGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var types = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.PooledAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => PooledParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.PooledTypes);

        context.RegisterSourceOutput(types, static (spc, model) => spc.AddSource(model!.Type.HintName + ".Pooled.g.cs", PooledEmitter.Emit(model)));
    }
}
