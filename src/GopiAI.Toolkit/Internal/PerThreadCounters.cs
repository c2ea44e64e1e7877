using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.Internal;

/// <summary>
/// Two 64-bit counters kept per thread: each thread increments its own cell with a plain (non-atomic) add, which is exact
/// because a cell has a single writer, and costs a thread-static read plus an add instead of a locked instruction.
/// Readers sum every cell. Used on the pool rent/return path, where an interlocked add per call would double the cost of
/// DefaultObjectPool itself; and, through a derived cell type, by the cache's read buffer (<c>Caching/ReadBuffer</c>) once two
/// threads have collided on its shared ring: from then on each thread records its hits in a ring kept in its own cell.
/// </summary>
internal class PerThreadCounters : IDisposable
{
    private static readonly Stack<int> s_freeIds = new();
    private static int s_nextId;

    [ThreadStatic]
    private static Cell?[]? t_cells;

    // Cells are only ever added (under the lock, copy-on-write), so readers iterate a snapshot without locking.
    private readonly Lock _addLock = new();
    private Cell[] _all = [];
    private readonly int _id;
    private int _disposed;

    public PerThreadCounters()
    {
        lock (s_freeIds)
        {
            _id = s_freeIds.Count > 0 ? s_freeIds.Pop() : s_nextId++;
        }
    }

    public Cell Local
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var cells = t_cells;
            if (cells is not null && (uint)_id < (uint)cells.Length && cells[_id] is { } cell && ReferenceEquals(cell.Owner, this))
            {
                return cell;
            }

            return CreateLocal();
        }
    }

    public long SumFirst()
    {
        long total = 0;
        foreach (var cell in Volatile.Read(ref _all))
        {
            total += Volatile.Read(ref cell.First);
        }

        return total;
    }

    public long SumSecond()
    {
        long total = 0;
        foreach (var cell in Volatile.Read(ref _all))
        {
            total += Volatile.Read(ref cell.Second);
        }

        return total;
    }

    /// <summary>Gives the id back for reuse; cells still cached by threads are recognised as stale through their owner.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (s_freeIds)
            {
                s_freeIds.Push(_id);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Cell CreateLocal()
    {
        var cells = t_cells;
        if (cells is null || cells.Length <= _id)
        {
            Array.Resize(ref cells, Math.Max(_id + 1, (cells?.Length ?? 4) * 2));
            t_cells = cells;
        }

        var cell = CreateCell();
        cells[_id] = cell;
        lock (_addLock)
        {
            Volatile.Write(ref _all, [.. _all, cell]);
        }

        return cell;
    }

    /// <summary>Creates the calling thread's cell (once per thread); a derived buffer returns a derived cell.</summary>
    /// <returns>A new cell owned by this instance.</returns>
    protected virtual Cell CreateCell() => new(this);

    /// <summary>Returns every cell created so far (a snapshot; cells are never removed).</summary>
    /// <returns>The cells.</returns>
    protected Cell[] Cells() => Volatile.Read(ref _all);

    /// <summary>One thread's counters, padded so that two threads' cells never share a cache line.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal class Cell(PerThreadCounters owner)
    {
#pragma warning disable CS0169, IDE0051 // padding
        private readonly long _pad0, _pad1, _pad2, _pad3, _pad4, _pad5, _pad6;
#pragma warning restore CS0169, IDE0051
        public long First;
        public long Second;
#pragma warning disable CS0169, IDE0051 // padding
        private readonly long _pad7, _pad8, _pad9, _pad10, _pad11, _pad12, _pad13;
#pragma warning restore CS0169, IDE0051

        public PerThreadCounters Owner { get; } = owner;
    }
}
