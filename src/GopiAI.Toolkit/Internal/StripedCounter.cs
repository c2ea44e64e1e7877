using System.Runtime.CompilerServices;

namespace GopiAI.Toolkit.Internal;

/// <summary>
/// A 64-bit counter spread over cache-line-padded cells so that threads incrementing it rarely touch the same
/// line (the idea of Java's LongAdder and BitFaster.Caching's striped counter). Increment allocates nothing;
/// <see cref="Sum"/> is exact once writers are quiescent.
/// </summary>
internal sealed class StripedCounter
{
    // 16 longs = 128 bytes between cells: one cell per adjacent-line-prefetch pair.
    private const int Padding = 16;
    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var stripes = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        _mask = stripes - 1;
        _cells = new long[(stripes + 1) * Padding];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment() =>
        Interlocked.Increment(ref _cells[((Environment.CurrentManagedThreadId & _mask) + 1) * Padding]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long value) =>
        Interlocked.Add(ref _cells[((Environment.CurrentManagedThreadId & _mask) + 1) * Padding], value);

    public long Sum()
    {
        long total = 0;
        for (var i = Padding; i < _cells.Length; i += Padding)
        {
            total += Volatile.Read(ref _cells[i]);
        }

        return total;
    }

    public void Reset()
    {
        for (var i = Padding; i < _cells.Length; i += Padding)
        {
            Volatile.Write(ref _cells[i], 0);
        }
    }
}
