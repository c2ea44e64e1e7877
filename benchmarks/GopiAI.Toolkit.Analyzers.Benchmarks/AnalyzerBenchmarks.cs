using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>
/// Analyzer time over the fixed corpus (<see cref="AnalyzerCorpus"/>, ~3,400 lines): the toolkit's leak rules against
/// the NetAnalyzers rules a user would otherwise enable (CA2000, CA2213, CA1001), each through
/// <c>CompilationWithAnalyzers</c> on a fresh copy of the same compilation, so binding on demand is paid equally.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private CSharpCompilationHolder _corpus = null!;
    private AnalyzerSet _floor = null!;
    private AnalyzerSet _ca2000 = null!;
    private AnalyzerSet _caDisposal = null!;
    private AnalyzerSet _gopiDisposal = null!;
    private AnalyzerSet _gopiGrowth = null!;
    private AnalyzerSet _gopiAll = null!;

    /// <summary>Builds the corpus and the analyzer sets, and checks that every set finds something to report.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _corpus = new CSharpCompilationHolder(AnalyzerCorpus.Create());
        _floor = AnalyzerSets.Floor();
        _ca2000 = AnalyzerSets.NetAnalyzers("CA2000", "CA2000");
        _caDisposal = AnalyzerSets.NetAnalyzers("CA2000+CA2213+CA1001", "CA2000", "CA2213", "CA1001");
        _gopiDisposal = AnalyzerSets.Gopi("GOPI1xxx", "GOPI1");
        _gopiGrowth = AnalyzerSets.Gopi("GOPI2xxx", "GOPI2");
        _gopiAll = AnalyzerSets.Gopi("GOPI1xxx+GOPI2xxx", "GOPI");
        foreach (var set in new[] { _ca2000, _caDisposal, _gopiDisposal, _gopiGrowth, _gopiAll })
        {
            var found = set.RunAsync(_corpus.Fresh()).GetAwaiter().GetResult();
            if (found.IsEmpty)
            {
                throw new InvalidOperationException($"{set.Name} reports nothing on the corpus: the benchmark would time a no-op.");
            }
        }
    }

    /// <summary>The floor every operation analyzer pays: binding the corpus and building its operation trees.</summary>
    [Benchmark(Description = "Floor: bind + walk operations")]
    public Task<ImmutableArray<Diagnostic>> Floor() => _floor.RunAsync(_corpus.Fresh());

    /// <summary>NetAnalyzers CA2000 alone: the target to beat.</summary>
    [Benchmark(Baseline = true, Description = "NetAnalyzers CA2000")]
    public Task<ImmutableArray<Diagnostic>> NetAnalyzersCA2000() => _ca2000.RunAsync(_corpus.Fresh());

    /// <summary>NetAnalyzers CA2000 + CA2213 + CA1001: the disposal rules a user would otherwise turn on.</summary>
    [Benchmark(Description = "NetAnalyzers CA2000+CA2213+CA1001")]
    public Task<ImmutableArray<Diagnostic>> NetAnalyzersDisposal() => _caDisposal.RunAsync(_corpus.Fresh());

    /// <summary>The toolkit's disposal rules.</summary>
    [Benchmark(Description = "GOPI1xxx (disposal)")]
    public Task<ImmutableArray<Diagnostic>> GopiDisposal() => _gopiDisposal.RunAsync(_corpus.Fresh());

    /// <summary>The toolkit's unbounded-growth rules.</summary>
    [Benchmark(Description = "GOPI2xxx (growth)")]
    public Task<ImmutableArray<Diagnostic>> GopiGrowth() => _gopiGrowth.RunAsync(_corpus.Fresh());

    /// <summary>Every toolkit rule together, as a user of the package runs them.</summary>
    [Benchmark(Description = "GOPI1xxx+GOPI2xxx (all)")]
    public Task<ImmutableArray<Diagnostic>> GopiAll() => _gopiAll.RunAsync(_corpus.Fresh());
}

/// <summary>
/// Hands out copies of one compilation that share its parsed trees and references but no bound state, so each
/// benchmark invocation binds on demand like a real build does.
/// </summary>
internal sealed class CSharpCompilationHolder(Compilation compilation)
{
    /// <summary>A fresh compilation over the same trees.</summary>
    public Compilation Fresh() => compilation.Clone();
}
