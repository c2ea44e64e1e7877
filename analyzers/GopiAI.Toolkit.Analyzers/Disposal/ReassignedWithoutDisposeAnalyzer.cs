using System.Collections.Generic;
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
        OwnedMemberCollector.RegisterPerType(context, static _ => true, Report, ownersElsewhere: false);
    }

    private static IEnumerable<Diagnostic> Report(OwnedMemberCollector collector, ImmutableArray<OwnedMember> owned, bool atCompilationEnd)
    {
        foreach (var member in owned)
        {
            foreach (var site in member.Creations)
            {
                // Precision: only when the member may already hold a value (another creation site, or a loop).
                if (site.IsConstruction || site.IsGuarded ||
                    (member.Creations.Length < 2 && !site.InLoop) ||
                    collector.IsReleasedIn(member.Member, site.ContainingMember))
                {
                    continue;
                }

                yield return Diagnostic.Create(Descriptors.GOPI1005_ReassignedWithoutDispose, site.Operation.Syntax.GetLocation(), member.Member.Name);
            }
        }
    }
}
