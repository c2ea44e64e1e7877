using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.LazyStartup;

/// <summary>Adds <c>Instance</c> and a registering module initializer to classes marked <c>[LazyStartup]</c>.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class LazyStartupGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var types = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.LazyStartupAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => LazyStartupParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.LazyStartupTypes);

        context.RegisterSourceOutput(types, static (spc, model) => spc.AddSource(model!.Type.HintName + ".LazyStartup.g.cs", LazyStartupEmitter.Emit(model)));

        // One AddLazyStartupComponents() per assembly, for apps that resolve components through DI.
        var registry = types
            .Collect()
            .Select(static (models, _) => models.Select(static m => m!).ToEquatableArray())
            .Combine(context.CompilationProvider.Select(static (compilation, _) =>
                compilation.GetTypeByMetadataName(KnownTypeNames.IServiceCollection) is null ? null : compilation.AssemblyName ?? "Generated"))
            .WithTrackingName(TrackingNames.LazyStartupRegistry);

        context.RegisterSourceOutput(registry, static (spc, pair) =>
        {
            // Written only when the project can see IServiceCollection (the GopiAI.Toolkit package brings it).
            if (!pair.Left.IsEmpty && pair.Right is { } assemblyName)
            {
                spc.AddSource("LazyStartupServiceCollectionExtensions.g.cs", LazyStartupEmitter.EmitServiceCollectionExtensions(assemblyName, pair.Left));
            }
        });
    }
}
