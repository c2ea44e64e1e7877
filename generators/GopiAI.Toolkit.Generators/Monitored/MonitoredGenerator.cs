using System.Collections.Generic;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Generators.Monitored;

/// <summary>
/// Implements partial methods marked <c>[Monitored]</c>, directly or through their class. Methods that also have
/// <c>[Cached]</c> are left to <see cref="Cached.CachedGenerator"/>, which writes one body for both.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MonitoredGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.MonitoredAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => SymbolHelpers.FindAttribute(ctx.TargetSymbol, KnownTypeNames.CachedAttribute) is null
                    ? PartialMethodParser.Parse((IMethodSymbol)ctx.TargetSymbol, ctx.TargetNode, ct)
                    : null)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.MonitoredMethods);

        var typeMethods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.MonitoredAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) =>
                {
                    var models = new List<MethodModel>();
                    foreach (var member in ((INamedTypeSymbol)ctx.TargetSymbol).GetMembers())
                    {
                        ct.ThrowIfCancellationRequested();
                        if (member is not IMethodSymbol { IsPartialDefinition: true } method ||
                            SymbolHelpers.FindAttribute(method, KnownTypeNames.CachedAttribute) is not null ||
                            SymbolHelpers.FindAttribute(method, KnownTypeNames.MonitoredAttribute) is not null)
                        {
                            continue;
                        }

                        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct);
                        if (syntax is not null && PartialMethodParser.Parse(method, syntax, ct) is { } model)
                        {
                            models.Add(model);
                        }
                    }

                    return models.ToEquatableArray();
                })
            .WithTrackingName(TrackingNames.MonitoredTypes)
            .SelectMany(static (models, _) => models);

        context.RegisterSourceOutput(methods, static (spc, model) => spc.AddSource(model!.HintName, PartialMethodEmitter.Emit(model)));
        context.RegisterSourceOutput(typeMethods, static (spc, model) => spc.AddSource(model.HintName, PartialMethodEmitter.Emit(model)));
    }
}
