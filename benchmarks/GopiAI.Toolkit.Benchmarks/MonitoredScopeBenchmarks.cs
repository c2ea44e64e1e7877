using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.Benchmarks;

/// <summary>The cost that [Monitored] adds to a call: MonitoredScope start + stop (no listener attached) around the same work.</summary>
[MemoryDiagnoser]
public class MonitoredScopeBenchmarks
{
    private int _state = 1;

    [Benchmark(Baseline = true, Description = "bare call")]
    public int Bare() => Work();

    [Benchmark(Description = "MonitoredScope around the call")]
    public int Monitored()
    {
        var scope = MonitoredScope.Start("bench.endpoint");
        var result = Work();
        scope.Stop(success: true);
        return result;
    }

    [Benchmark(Description = "floor: two clock reads (TimeProvider.System.GetTimestamp)")]
    public long ClockFloor() => TimeProvider.System.GetTimestamp() - TimeProvider.System.GetTimestamp() + Work();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Work() => _state = (_state * 31) + 7;
}
