using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>GOPI1004: a type owns disposable members but implements neither IDisposable nor IAsyncDisposable.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OwnerNotDisposableAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property that lists the owned member names, separated by ';', for the code fix.</summary>
    internal const string MembersProperty = "Members";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GOPI1004_OwnerNotDisposable,
        Descriptors.GOPI1004_OwnerNotDisposableAtCompilationEnd);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        OwnedMemberCollector.RegisterPerType(
            context,
            static collector =>
                !collector.TypeIsDisposable &&
                collector.Type.GetMembers("Dispose").Length == 0 &&
                collector.Type.GetMembers("DisposeAsync").Length == 0,
            Report,
            ownersElsewhere: true);
    }

    private static IEnumerable<Diagnostic> Report(OwnedMemberCollector collector, ImmutableArray<OwnedMember> owned, bool atCompilationEnd)
    {
        // Even a type that releases its members in Stop()/Close() is reported: without IDisposable its owner cannot
        // use "using", DI cannot dispose it, and GOPI1001 cannot see it released.
        if (owned.IsEmpty || collector.Type.Locations.Length == 0)
        {
            yield break;
        }

        var names = owned.Select(m => m.Member.Name).ToImmutableArray();
        yield return Diagnostic.Create(
            atCompilationEnd ? Descriptors.GOPI1004_OwnerNotDisposableAtCompilationEnd : Descriptors.GOPI1004_OwnerNotDisposable,
            collector.Type.Locations[0],
            ImmutableDictionary<string, string?>.Empty.Add(MembersProperty, string.Join(";", names)),
            collector.Type.Name,
            string.Join(", ", names.Select(n => "'" + n + "'")));
    }
}
