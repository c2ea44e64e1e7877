using System.Collections.Generic;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>
/// GOPI1003: a disposable type owns a disposable field or auto-property but never disposes it. Live for private
/// members; at compilation end when a member other types can reach is involved, because another type may dispose it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OwnedMemberNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GOPI1003_OwnedMemberNotDisposed,
        Descriptors.GOPI1003_OwnedMemberNotDisposedAtCompilationEnd);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        // A type that is not disposable is GOPI1004's business.
        OwnedMemberCollector.RegisterPerType(context, static collector => collector.TypeIsDisposable, Report, ownersElsewhere: true);
    }

    private static IEnumerable<Diagnostic> Report(OwnedMemberCollector collector, ImmutableArray<OwnedMember> owned, bool atCompilationEnd)
    {
        var descriptor = atCompilationEnd ? Descriptors.GOPI1003_OwnedMemberNotDisposedAtCompilationEnd : Descriptors.GOPI1003_OwnedMemberNotDisposed;
        foreach (var member in owned)
        {
            if (!member.IsDisposed && member.Member.Locations.Length > 0)
            {
                yield return Diagnostic.Create(descriptor, member.Member.Locations[0], collector.Type.Name, member.Member.Name);
            }
        }
    }
}
