using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace GopiAI.Toolkit.Generators.Benchmarks;

/// <summary>The overhead [Monitored] adds to a call (target: at most 30 ns and 0 B) against the bare call.</summary>
[MemoryDiagnoser]
public partial class MonitoredBenchmarks
{
    private int _a = 20;

    [Benchmark(Baseline = true, Description = "bare call")]
    public int Bare() => AddCore(_a, 22);

    [Benchmark(Description = "generated [Monitored]")]
    public int Monitored() => Add(_a, 22);

    [Monitored(Name = "bench.add")]
    public partial int Add(int a, int b);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int AddCore(int a, int b) => _a = a + b - 22;
}
