using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>
/// GOPI1005: an owned disposable member is assigned a new value outside construction while it may still hold a
/// value, and the method neither disposes the old value nor checks it for null.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReassignedWithoutDisposeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GOPI1005_ReassignedWithoutDispose);

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
                foreach (var owned in collector.OwnedMembers())
                {
                    foreach (var site in owned.Creations)
                    {
                        // Precision: only when the member may already hold a value (another creation site, or a loop).
                        if (site.IsConstruction || site.IsGuarded ||
                            (owned.Creations.Length < 2 && !site.InLoop) ||
                            collector.IsReleasedIn(owned.Member, site.ContainingMember))
                        {
                            continue;
                        }

                        end.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.GOPI1005_ReassignedWithoutDispose,
                            site.Operation.Syntax.GetLocation(),
                            owned.Member.Name));
                    }
                }
            });
    }
}
