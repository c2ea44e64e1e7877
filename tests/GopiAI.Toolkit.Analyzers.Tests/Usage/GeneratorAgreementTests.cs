using GopiAI.Toolkit.Analyzers.Usage;
using GopiAI.Toolkit.Generators.Cached;
using GopiAI.Toolkit.Generators.Monitored;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage;

/// <summary>
/// The partial-method rules are written once (PartialMethodRules, shared by generator and analyzer): over methods
/// that break each rule, and valid ones, the generator implements a method exactly when the usage analyzers report
/// nothing on it.
/// </summary>
public sealed class GeneratorAgreementTests
{
    public static TheoryData<string, string> Methods => new()
    {
        { "Valid", "[Cached] public partial int Valid(int id); private int ValidCore(int id) => id;" },
        { "ValidMonitored", "[Monitored] public partial void ValidMonitored(); private void ValidMonitoredCore() { }" },
        { "ValidAsync", "[Cached(60)] public partial Task<int> ValidAsync(int id, CancellationToken ct); private Task<int> ValidAsyncCore(int id, CancellationToken ct) => Task.FromResult(id);" },
        { "NotPartial", "[Cached] public int NotPartial(int id) => id;" },
        { "Generic", "[Cached] public partial T Generic<T>(T id); private T GenericCore<T>(T id) => id;" },
        { "RefReturn", "[Monitored] public partial ref int RefReturn(); private ref int RefReturnCore() => ref _slot;" },
        { "NoResult", "[Cached] public partial Task NoResult(int id); private Task NoResultCore(int id) => Task.CompletedTask;" },
        { "VoidCached", "[Cached] public partial void VoidCached(int id); private void VoidCachedCore(int id) { }" },
        { "RefParameter", "[Monitored] public partial void RefParameter(ref int id); private void RefParameterCore(ref int id) { }" },
        { "SpanParameter", "[Cached] public partial int SpanParameter(ReadOnlySpan<char> s); private int SpanParameterCore(ReadOnlySpan<char> s) => s.Length;" },
        { "MissingCore", "[Cached] public partial int MissingCore(int id);" },
        { "CoreReturnMismatch", "[Cached] public partial int CoreReturnMismatch(int id); private long CoreReturnMismatchCore(int id) => id;" },
        { "CoreStaticMismatch", "[Cached] public partial int CoreStaticMismatch(int id); private static int CoreStaticMismatchCore(int id) => id;" },
        { "BadTtl", "[Cached(0)] public partial int BadTtl(int id); private int BadTtlCore(int id) => id;" },
        { "DistributedRecord", "[Cached(60, Distributed = true, Tags = new[] { \"users\", \"user:{id}\" })] public partial Task<Item> DistributedRecord(int id); private Task<Item> DistributedRecordCore(int id) => Task.FromResult(new Item(id, null, [])); public sealed record Item(int Id, string? Name, List<int?> Values);" },
        { "DistributedObject", "[Cached(60, Distributed = true)] public partial object DistributedObject(int id); private object DistributedObjectCore(int id) => id;" },
        { "DistributedGetOnly", "[Cached(60, Distributed = true)] public partial Box DistributedGetOnly(int id); private Box DistributedGetOnlyCore(int id) => new(); public sealed class Box { public int Value { get; } }" },
        { "DistributedBadTag", "[Cached(60, Distributed = true, Tags = new[] { \"user:{userId}\" })] public partial int DistributedBadTag(int id); private int DistributedBadTagCore(int id) => id;" },
        { "DistributedNamed", "[Cached(60, Distributed = true, Cache = \"api_responses\")] public partial int DistributedNamed(int id); private int DistributedNamedCore(int id) => id;" },
        { "NegativeThreshold", "[Monitored(SlowThresholdMs = -1)] public partial void NegativeThreshold(); private void NegativeThresholdCore() { }" },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GeneratorAndAnalyzer_SameMethod_GenerateExactlyWhenNotReported(string name, string member)
    {
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using GopiAI.Toolkit;

            public partial class Service
            {
                private int _slot;

                {{member}}
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Agreement",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Service.cs"), CSharpSyntaxTree.ParseText(UsageStubs.Source, new CSharpParseOptions(LanguageVersion.Latest), "Stubs.cs")],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var run = CSharpGeneratorDriver.Create(new CachedGenerator(), new MonitoredGenerator())
            .RunGenerators(compilation)
            .GetRunResult();
        var generated = run.GeneratedTrees.Any(t => t.FilePath.Contains("Service." + name + ".g.cs", StringComparison.Ordinal));

        var reported = (await compilation
                .WithAnalyzers([new PartialMethodUsageAnalyzer(), new AttributeOptionsAnalyzer()])
                .GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id is "GOPI0001" or "GOPI0002" or "GOPI0003" or "GOPI0004" or "GOPI0005" or "GOPI0007" or "GOPI0010" or "GOPI0011" or "GOPI0012")
            .ToList();

        Assert.True(generated != reported.Count > 0, $"{name}: generated={generated}, reported=[{string.Join(", ", reported.Select(d => d.Id))}]");
    }
}
