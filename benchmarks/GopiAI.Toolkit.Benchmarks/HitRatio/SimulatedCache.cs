using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace GopiAI.Toolkit.Benchmarks.HitRatio;

/// <summary>One cache under test: a lookup is <c>TryGet</c>, and on a miss the key is stored (what a memoizing caller does).</summary>
internal abstract class SimulatedCache : IDisposable
{
    /// <summary>The cache implementations in the table, in column order.</summary>
    public static readonly IReadOnlyList<(string Name, Func<int, SimulatedCache> Create)> All =
    [
        ("GopiAI LruCache (W-TinyLFU)", c => new Gopi(c, CacheEvictionPolicy.WTinyLfu)),
        ("GopiAI LruCache (Lru option)", c => new Gopi(c, CacheEvictionPolicy.Lru)),
        ("BitFaster ConcurrentLru", c => new BitFasterLru(c)),
        ("BitFaster ConcurrentLfu", c => new BitFasterLfu(c)),
        ("MemoryCache (SizeLimit)", c => new Memory(c)),
        ("Exact LRU", c => new ExactLru(c)),
    ];

    /// <summary>Looks <paramref name="key"/> up and stores it on a miss.</summary>
    /// <returns><see langword="true"/> on a hit.</returns>
    public abstract bool Lookup(int key);

    /// <summary>Gets a value indicating whether the cache may be used from two threads at once.</summary>
    public virtual bool IsThreadSafe => true;

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }

    private sealed class Gopi(int capacity, CacheEvictionPolicy policy) : SimulatedCache
    {
        private readonly LruCache<int, int> _cache = new(new LruCacheOptions { MaxSize = capacity, EvictionPolicy = policy });

        public override bool Lookup(int key)
        {
            if (_cache.TryGet(key, out _))
            {
                return true;
            }

            _cache.Set(key, key);
            return false;
        }

        public override void Dispose() => _cache.Dispose();
    }

    private sealed class BitFasterLru(int capacity) : SimulatedCache
    {
        private readonly ConcurrentLru<int, int> _cache = new(capacity);

        public override bool Lookup(int key)
        {
            if (_cache.TryGet(key, out _))
            {
                return true;
            }

            _cache.AddOrUpdate(key, key);
            return false;
        }
    }

    private sealed class BitFasterLfu(int capacity) : SimulatedCache
    {
        // The constructor a user calls: maintenance on the thread pool, as shipped.
        private readonly ConcurrentLfu<int, int> _cache = new(capacity);

        public override bool Lookup(int key)
        {
            if (_cache.TryGet(key, out _))
            {
                return true;
            }

            _cache.AddOrUpdate(key, key);
            return false;
        }
    }

    private sealed class Memory(int capacity) : SimulatedCache
    {
        private static readonly MemoryCacheEntryOptions s_entry = new() { Size = 1 };
        private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = capacity });

        public override bool Lookup(int key)
        {
            if (_cache.TryGetValue(key, out _))
            {
                return true;
            }

            _cache.Set(key, key, s_entry);
            return false;
        }

        public override void Dispose() => _cache.Dispose();
    }

    /// <summary>The textbook LRU (a dictionary over a linked list), the reference every policy is compared with.</summary>
    private sealed class ExactLru(int capacity) : SimulatedCache
    {
        private readonly Dictionary<int, LinkedListNode<int>> _map = new(capacity);
        private readonly LinkedList<int> _order = new();
        private readonly Lock _gate = new();

        public override bool Lookup(int key)
        {
            lock (_gate)
            {
                if (_map.TryGetValue(key, out var node))
                {
                    _order.Remove(node);
                    _order.AddLast(node);
                    return true;
                }

                if (_map.Count >= capacity)
                {
                    var oldest = _order.First!;
                    _order.RemoveFirst();
                    _map.Remove(oldest.Value);
                }

                _map[key] = _order.AddLast(key);
                return false;
            }
        }
    }
}
