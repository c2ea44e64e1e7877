using System.Text;
using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.Pooling;
using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Benchmarks;

/// <summary>Rent + return of a pooled object: the toolkit's tracked pool against Microsoft.Extensions.ObjectPool's DefaultObjectPool with the same policy.</summary>
[MemoryDiagnoser]
public class PoolBenchmarks
{
    private ObjectPool<StringBuilder> _default = null!;
    private TrackedObjectPool<StringBuilder> _tracked = null!;

    [GlobalSetup]
    public void Setup()
    {
        _default = new DefaultObjectPool<StringBuilder>(new StringBuilderPooledObjectPolicy(), 100);
        _tracked = new TrackedObjectPool<StringBuilder>("bench", () => new StringBuilder(100), sb => sb.Clear(), 100);
    }

    [GlobalCleanup]
    public void Cleanup() => _tracked.Dispose();

    [Benchmark(Baseline = true, Description = "DefaultObjectPool rent+return")]
    public int Default()
    {
        var sb = _default.Get();
        var capacity = sb.Capacity;
        _default.Return(sb);
        return capacity;
    }

    [Benchmark(Description = "TrackedObjectPool rent+return")]
    public int Tracked()
    {
        var sb = _tracked.Get();
        var capacity = sb.Capacity;
        _tracked.Return(sb);
        return capacity;
    }

    [Benchmark(Description = "PooledLease (using) over TrackedObjectPool")]
    public int Lease()
    {
        using var lease = new PooledLease<StringBuilder>(_tracked);
        return lease.Value.Capacity;
    }
}
