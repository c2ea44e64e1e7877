using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>GOPI1003: a disposable type owns a disposable field or auto-property but never disposes it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OwnedMemberNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GOPI1003_OwnedMemberNotDisposed);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        OwnedMemberCollector.RegisterPerType(
            context,
            static _ => true,
            static (collector, end) =>
            {
                if (!collector.TypeIsDisposable)
                {
                    return; // GOPI1004's business.
                }

                foreach (var owned in collector.OwnedMembers())
                {
                    if (!owned.IsDisposed && owned.Member.Locations.Length > 0)
                    {
                        end.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.GOPI1003_OwnedMemberNotDisposed,
                            owned.Member.Locations[0],
                            collector.Type.Name,
                            owned.Member.Name));
                    }
                }
            });
    }
}
