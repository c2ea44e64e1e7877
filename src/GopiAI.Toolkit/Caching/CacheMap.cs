using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The cache's key → entry table: read without locks, written by one writer at a time (under the cache's maintenance lock).
/// For value-type keys, an open-addressing table with linear probing whose slots hold the <see cref="CacheNode{TKey, TValue}"/>
/// objects themselves, so a hit loads the slot array, one slot and the entry, with no bucket or dictionary node in between.
/// For reference-type keys, a <see cref="ConcurrentDictionary{TKey, TValue}"/> (see the remarks).
/// </summary>
/// <remarks>
/// <para>
/// Why two: for <see cref="string"/> keys <see cref="ConcurrentDictionary{TKey, TValue}"/> hashes with the runtime's
/// internal non-randomized string comparer and switches to the randomized one only when collisions pile up (the defence
/// against hash flooding). A table of our own can only use the public, randomized <see cref="string.GetHashCode()"/>,
/// which cost a string-key hit about 2.5 ns more than the dictionary in the hit-cost probe (16.9 against 14.3 ns), while for
/// integer keys the table saves about 1 ns (4.7 against 5.6 ns). The choice is made per key type by the JIT
/// (<c>typeof(TKey).IsValueType</c> is a constant), so neither path pays for the other.
/// </para>
/// <para>
/// Why not <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/>: it is built for concurrent writers
/// (lock striping, per-bucket nodes), which the cache never has, and its lookup (table object, comparer, bucket, node, then
/// our entry) was half of a hit. Here every write is a single reference store into a slot, so a concurrent reader sees
/// either the old or the new entry, never a torn state.
/// </para>
/// <para>
/// A slot is empty (<see langword="null"/>), holds an entry, or holds the tombstone left by a removal, which lookups probe
/// past. A tombstone followed by an empty slot is emptied at once, since no probe needs to pass it. Inserts reuse the first
/// tombstone on their probe path. When entries and tombstones would fill more than three quarters of the slots, the writer
/// builds a new array (less than half full with entries, so smaller when many were removed) and publishes it: readers still in the old array see the entries as
/// they were, as a reader that found an entry just before its removal would. The array never fills up, so every probe ends.
/// Like <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/>, removals alone never shrink it;
/// <see cref="Clear"/> does.
/// </para>
/// <para>
/// The slot of a hash is its Fibonacci hash (times 2^32/φ, top bits), which spreads consecutive integer keys and costs one
/// multiply; the full hash code is compared before the key. Like any hash table, keys whose hash codes collide cost a longer
/// probe.
/// </para>
/// <para>
/// A mutable struct, so that the cache holds the slot array in its own object and a hit saves the load of a map object.
/// Keep it in a non-readonly field and never copy it.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "Held in one field, never compared or copied.")]
internal struct CacheMap<TKey, TValue>
    where TKey : notnull
{
    private const int MinSlots = 16;
    private const uint Fibonacci = 0x9E37_79B9;

    private static readonly CacheNode<TKey, TValue> s_tombstone = new(default!, default!, ExpiryClock.Never, ExpiryClock.Never, 0);

    private readonly ConcurrentDictionary<TKey, CacheNode<TKey, TValue>>? _dictionary;
    private CacheNode<TKey, TValue>?[] _slots;
    private int _count;
    private int _tombstones;

    /// <summary>Initializes an empty map sized for <paramref name="capacity"/> entries (it grows on demand).</summary>
    /// <param name="capacity">The number of entries expected.</param>
    public CacheMap(int capacity)
    {
        if (typeof(TKey).IsValueType)
        {
            _slots = new CacheNode<TKey, TValue>?[SlotsFor(capacity)];
        }
        else
        {
            _slots = [];
            _dictionary = new ConcurrentDictionary<TKey, CacheNode<TKey, TValue>>(Environment.ProcessorCount, capacity);
        }
    }

    /// <summary>Gets the number of entries.</summary>
    public readonly int Count => typeof(TKey).IsValueType ? _count : _dictionary!.Count;

    /// <summary>Gets the number of slots (for tests of the sizing rules).</summary>
    internal readonly int SlotCount => _slots.Length;

    /// <summary>Gets the number of tombstones (for tests of the sizing rules).</summary>
    internal readonly int Tombstones => _tombstones;

    /// <summary>Returns the entry for <paramref name="key"/>, or <see langword="null"/>. Lock-free; safe alongside the writer.</summary>
    /// <param name="key">The key (not null).</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CacheNode<TKey, TValue>? Find(TKey key)
    {
        if (!typeof(TKey).IsValueType)
        {
            return _dictionary!.TryGetValue(key, out var found) ? found : null;
        }

        var hash = EqualityComparer<TKey>.Default.GetHashCode(key);
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        ref var first = ref MemoryMarshal.GetArrayDataReference(slots);
        var i = Home(hash, mask);
        while (true)
        {
            var node = Unsafe.Add(ref first, i);
            if (node is null)
            {
                return null;
            }

            if (node.KeyHash == hash && EqualityComparer<TKey>.Default.Equals(node.Key, key) && !ReferenceEquals(node, s_tombstone))
            {
                return node;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Stores <paramref name="node"/> under its key; call under the maintenance lock.</summary>
    /// <param name="node">The entry to store.</param>
    /// <returns>The entry it replaced, or <see langword="null"/>.</returns>
    public CacheNode<TKey, TValue>? Set(CacheNode<TKey, TValue> node)
    {
        if (!typeof(TKey).IsValueType)
        {
            // One writer at a time: a lookup then a store cannot race another store.
            _dictionary!.TryGetValue(node.Key, out var old);
            _dictionary[node.Key] = node;
            return old;
        }

        if (_count + _tombstones + 1 > (_slots.Length / 4) * 3)
        {
            Rebuild(_count + 1);
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Home(node.KeyHash, mask);
        var reuse = -1;
        while (slots[i] is { } current)
        {
            if (ReferenceEquals(current, s_tombstone))
            {
                if (reuse < 0)
                {
                    reuse = i;
                }
            }
            else if (current.KeyHash == node.KeyHash && EqualityComparer<TKey>.Default.Equals(current.Key, node.Key))
            {
                Volatile.Write(ref slots[i], node);
                return current;
            }

            i = (i + 1) & mask;
        }

        if (reuse >= 0)
        {
            _tombstones--;
            i = reuse;
        }

        // A release write: a reader that finds the node sees it fully constructed.
        Volatile.Write(ref slots[i], node);
        _count++;
        return null;
    }

    /// <summary>Removes the entry for <paramref name="key"/>; call under the maintenance lock.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The removed entry, or <see langword="null"/> when there was none.</returns>
    public CacheNode<TKey, TValue>? Remove(TKey key)
    {
        if (!typeof(TKey).IsValueType)
        {
            return _dictionary!.TryRemove(key, out var removed) ? removed : null;
        }

        var slot = IndexOf(key, EqualityComparer<TKey>.Default.GetHashCode(key));
        if (slot < 0)
        {
            return null;
        }

        var node = _slots[slot]!;
        RemoveAt(slot);
        return node;
    }

    /// <summary>Removes <paramref name="node"/> if its key still maps to it (not to a newer entry); call under the maintenance lock.</summary>
    /// <param name="node">The entry.</param>
    /// <returns><see langword="true"/> when it was removed.</returns>
    public bool Remove(CacheNode<TKey, TValue> node)
    {
        if (!typeof(TKey).IsValueType)
        {
            return _dictionary!.TryRemove(new KeyValuePair<TKey, CacheNode<TKey, TValue>>(node.Key, node));
        }

        var slot = IndexOf(node.Key, node.KeyHash);
        if (slot < 0 || !ReferenceEquals(_slots[slot], node))
        {
            return false;
        }

        RemoveAt(slot);
        return true;
    }

    /// <summary>Removes every entry; call under the maintenance lock.</summary>
    /// <param name="capacity">The number of entries to size the new table for.</param>
    public void Clear(int capacity)
    {
        if (!typeof(TKey).IsValueType)
        {
            _dictionary!.Clear();
            return;
        }

        Volatile.Write(ref _slots, new CacheNode<TKey, TValue>?[SlotsFor(capacity)]);
        _count = 0;
        _tombstones = 0;
    }

    /// <summary>
    /// Enumerates the entries in slot order; call under the maintenance lock. Removing entries while enumerating is
    /// allowed (removals never move entries); storing is not.
    /// </summary>
    /// <returns>An enumerator over the current slots.</returns>
    public readonly Enumerator GetEnumerator() => typeof(TKey).IsValueType ? new(_slots, null) : new([], _dictionary!.GetEnumerator());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(int hash, int mask) => (int)(((uint)hash * Fibonacci) >> BitOperations.LeadingZeroCount((uint)mask));

    private static int SlotsFor(int entries) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinSlots, entries * 2));

    private readonly int IndexOf(TKey key, int hash)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Home(hash, mask);
        while (slots[i] is { } node)
        {
            if (node.KeyHash == hash && EqualityComparer<TKey>.Default.Equals(node.Key, key) && !ReferenceEquals(node, s_tombstone))
            {
                return i;
            }

            i = (i + 1) & mask;
        }

        return -1;
    }

    private void RemoveAt(int slot)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        _count--;
        if (slots[(slot + 1) & mask] is not null)
        {
            // A later entry may have probed past this slot: leave a tombstone so lookups still reach it.
            Volatile.Write(ref slots[slot], s_tombstone);
            _tombstones++;
            return;
        }

        // Followed by an empty slot: no probe passes here, nor through the tombstones just before it.
        Volatile.Write(ref slots[slot], null);
        for (var i = (slot - 1) & mask; ReferenceEquals(slots[i], s_tombstone); i = (i - 1) & mask)
        {
            Volatile.Write(ref slots[i], null);
            _tombstones--;
        }
    }

    private void Rebuild(int entries)
    {
        var old = _slots;
        var slots = new CacheNode<TKey, TValue>?[SlotsFor(entries)];
        var mask = slots.Length - 1;
        foreach (var node in old)
        {
            if (node is not null && !ReferenceEquals(node, s_tombstone))
            {
                var i = Home(node.KeyHash, mask);
                while (slots[i] is not null)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = node;
            }
        }

        // Publishes the filled array: a reader that loads it sees every store above.
        Volatile.Write(ref _slots, slots);
        _tombstones = 0;
    }

    /// <summary>Enumerates the entries of one slot array, or of the dictionary.</summary>
    [SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "An enumerator.")]
    public struct Enumerator(CacheNode<TKey, TValue>?[] slots, IEnumerator<KeyValuePair<TKey, CacheNode<TKey, TValue>>>? pairs)
    {
        private int _index = -1;

        /// <summary>Gets the current entry.</summary>
        public readonly CacheNode<TKey, TValue> Current => pairs is not null ? pairs.Current.Value : slots[_index]!;

        /// <summary>Moves to the next entry.</summary>
        /// <returns><see langword="false"/> after the last one.</returns>
        public bool MoveNext()
        {
            if (pairs is not null)
            {
                return pairs.MoveNext();
            }

            while (++_index < slots.Length)
            {
                if (slots[_index] is { } node && !ReferenceEquals(node, s_tombstone))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
