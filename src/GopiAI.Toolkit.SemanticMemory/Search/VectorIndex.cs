using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// All vectors of the store in one contiguous in-memory matrix (float32, or int8 with one scale per row), for exact
/// top-k by brute force with SIMD. Rows are swapped-removed on delete. Reads take a shared lock, changes an exclusive one.
/// </summary>
internal sealed class VectorIndex : IDisposable
{
    private readonly int _dims;
    private readonly bool _int8;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, int> _slots = [];
    private long[] _rowIds = new long[64];
    private float[] _floats;
    private sbyte[] _bytes;
    private float[] _scales = new float[64];
    private int _count;

    public VectorIndex(int dims, bool int8)
    {
        _dims = dims;
        _int8 = int8;
        _floats = int8 ? [] : new float[64 * dims];
        _bytes = int8 ? new sbyte[64 * dims] : [];
    }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public bool IsInt8 => _int8;

    /// <summary>Adds or replaces a row from a stored vector (any format) or removes it (null).</summary>
    public void Apply(IReadOnlyList<VectorChange> changes)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var change in changes)
            {
                if (change.Vector is null)
                {
                    RemoveCore(change.RowId);
                }
                else
                {
                    SetCore(change.RowId, change.Vector);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Replaces the content with stored rows (already validated: right length, finite, unit length).</summary>
    public void Load(IEnumerable<StoredVector> rows)
    {
        _lock.EnterWriteLock();
        try
        {
            _count = 0;
            _slots.Clear();
            var buffer = new float[_dims];
            foreach (var (rowId, format, scale, data) in rows)
            {
                if (format == VectorFormat.Int8)
                {
                    var q = MemoryMarshal.Cast<byte, sbyte>(data.AsSpan());
                    if (_int8)
                    {
                        SetQuantized(rowId, q, scale);
                        continue;
                    }

                    VectorMath.Dequantize(q, scale, buffer);
                }
                else
                {
                    MemoryMarshal.Cast<byte, float>(data.AsSpan()).CopyTo(buffer);
                }

                SetCore(rowId, buffer);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Cosine similarity of a unit query with one stored row, or null when the row is unknown.</summary>
    public float? Similarity(ReadOnlySpan<float> query, long rowId)
    {
        _lock.EnterReadLock();
        try
        {
            return _slots.TryGetValue(rowId, out var slot) ? ScoreFloat(query, slot, stackalloc float[_dims]) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Exact top-k by cosine (vectors are unit length, so cosine = dot product), best first.</summary>
    public List<(long RowId, float Score)> Search(ReadOnlySpan<float> query, int k, float threshold, HashSet<long>? allowed)
    {
        _lock.EnterReadLock();
        try
        {
            if (_count == 0 || k <= 0)
            {
                return [];
            }

            k = Math.Min(k, _count);

            if (!_int8)
            {
                var heap = new TopK(k);
                for (var slot = 0; slot < _count; slot++)
                {
                    if (allowed is not null && !allowed.Contains(_rowIds[slot]))
                    {
                        continue;
                    }

                    var score = TensorPrimitives.Dot(query, _floats.AsSpan(slot * _dims, _dims));
                    if (score >= threshold)
                    {
                        heap.Offer(slot, score);
                    }
                }

                return heap.Drain(_rowIds);
            }

            // int8 scan over 8k candidates, then exact-query re-scoring (float query x dequantised row) of those.
            Span<sbyte> q = stackalloc sbyte[_dims];
            var queryScale = VectorMath.Quantize(query, q);
            var wide = new TopK(Math.Max(k * 8, 64));
            for (var slot = 0; slot < _count; slot++)
            {
                if (allowed is not null && !allowed.Contains(_rowIds[slot]))
                {
                    continue;
                }

                var approx = VectorMath.DotInt8(q, _bytes.AsSpan(slot * _dims, _dims)) * queryScale * _scales[slot];
                wide.Offer(slot, approx);
            }

            var rescored = new TopK(k);
            Span<float> buffer = stackalloc float[_dims];
            foreach (var slot in wide.Slots())
            {
                var score = ScoreFloat(query, slot, buffer);
                if (score >= threshold)
                {
                    rescored.Offer(slot, score);
                }
            }

            return rescored.Drain(_rowIds);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Copies every row as float32 (for building the HNSW index).</summary>
    public (long[] RowIds, float[][] Vectors) Snapshot()
    {
        _lock.EnterReadLock();
        try
        {
            var ids = _rowIds.AsSpan(0, _count).ToArray();
            var vectors = new float[_count][];
            for (var slot = 0; slot < _count; slot++)
            {
                vectors[slot] = new float[_dims];
                CopyFloat(slot, vectors[slot]);
            }

            return (ids, vectors);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private float ScoreFloat(ReadOnlySpan<float> query, int slot, Span<float> buffer)
    {
        if (!_int8)
        {
            return TensorPrimitives.Dot(query, _floats.AsSpan(slot * _dims, _dims));
        }

        CopyFloat(slot, buffer);
        return TensorPrimitives.Dot(query, buffer);
    }

    private void CopyFloat(int slot, Span<float> destination)
    {
        if (_int8)
        {
            VectorMath.Dequantize(_bytes.AsSpan(slot * _dims, _dims), _scales[slot], destination);
        }
        else
        {
            _floats.AsSpan(slot * _dims, _dims).CopyTo(destination);
        }
    }

    private void SetCore(long rowId, ReadOnlySpan<float> vector)
    {
        if (_int8)
        {
            Span<sbyte> q = stackalloc sbyte[_dims];
            var scale = VectorMath.Quantize(vector, q);
            SetQuantized(rowId, q, scale);
            return;
        }

        var slot = SlotFor(rowId);
        vector.CopyTo(_floats.AsSpan(slot * _dims, _dims));
    }

    private void SetQuantized(long rowId, ReadOnlySpan<sbyte> vector, float scale)
    {
        var slot = SlotFor(rowId);
        vector.CopyTo(_bytes.AsSpan(slot * _dims, _dims));
        _scales[slot] = scale;
    }

    private int SlotFor(long rowId)
    {
        if (_slots.TryGetValue(rowId, out var existing))
        {
            return existing;
        }

        if (_count == _rowIds.Length)
        {
            var capacity = _rowIds.Length * 2;
            Array.Resize(ref _rowIds, capacity);
            Array.Resize(ref _scales, capacity);
            if (_int8)
            {
                Array.Resize(ref _bytes, capacity * _dims);
            }
            else
            {
                Array.Resize(ref _floats, capacity * _dims);
            }
        }

        var slot = _count++;
        _rowIds[slot] = rowId;
        _slots[rowId] = slot;
        return slot;
    }

    private void RemoveCore(long rowId)
    {
        if (!_slots.Remove(rowId, out var slot))
        {
            return;
        }

        var last = --_count;
        if (slot != last)
        {
            var moved = _rowIds[last];
            _rowIds[slot] = moved;
            _scales[slot] = _scales[last];
            if (_int8)
            {
                _bytes.AsSpan(last * _dims, _dims).CopyTo(_bytes.AsSpan(slot * _dims, _dims));
            }
            else
            {
                _floats.AsSpan(last * _dims, _dims).CopyTo(_floats.AsSpan(slot * _dims, _dims));
            }

            _slots[moved] = slot;
        }
    }

    /// <summary>A bounded min-heap keeping the k best (slot, score) pairs.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, float> _heap = new(Math.Min(k, 4096) + 1);

        public void Offer(int slot, float score)
        {
            if (_heap.Count < k)
            {
                _heap.Enqueue(slot, score);
            }
            else if (_heap.TryPeek(out _, out var worst) && score > worst)
            {
                _heap.DequeueEnqueue(slot, score);
            }
        }

        public IEnumerable<int> Slots() => _heap.UnorderedItems.Select(item => item.Element).ToArray();

        public List<(long RowId, float Score)> Drain(long[] rowIds)
        {
            var result = new List<(long, float)>(_heap.Count);
            while (_heap.TryDequeue(out var slot, out var score))
            {
                result.Add((rowIds[slot], score));
            }

            result.Reverse();
            return result;
        }
    }
}
