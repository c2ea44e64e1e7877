namespace GopiAI.Toolkit.Caching;

/// <summary>
/// An intrusive doubly linked list of cache nodes in access order: <see cref="First"/> is the least recently used end,
/// new and touched nodes go to the end. No allocation: the links live in the nodes. Not thread-safe (used under the
/// cache's maintenance lock).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class AccessOrderList<TKey, TValue>(PolicyQueue queue)
{
    private CacheNode<TKey, TValue>? _last;

    /// <summary>Gets the queue whose nodes this list holds (stamped on nodes added to it).</summary>
    public PolicyQueue Queue { get; } = queue;

    /// <summary>Gets the least recently used node, or <see langword="null"/> when empty.</summary>
    public CacheNode<TKey, TValue>? First { get; private set; }

    /// <summary>Gets the number of nodes.</summary>
    public int Count { get; private set; }

    /// <summary>Appends <paramref name="node"/> (not in any list) as the most recently used.</summary>
    /// <param name="node">The node.</param>
    public void AddLast(CacheNode<TKey, TValue> node)
    {
        node.Queue = Queue;
        node.Next = null;
        node.Previous = _last;
        if (_last is null)
        {
            First = node;
        }
        else
        {
            _last.Next = node;
        }

        _last = node;
        Count++;
    }

    /// <summary>Unlinks <paramref name="node"/>, which must be in this list; its queue becomes <see cref="PolicyQueue.None"/>.</summary>
    /// <param name="node">The node.</param>
    public void Remove(CacheNode<TKey, TValue> node)
    {
        var previous = node.Previous;
        var next = node.Next;
        if (previous is null)
        {
            First = next;
        }
        else
        {
            previous.Next = next;
        }

        if (next is null)
        {
            _last = previous;
        }
        else
        {
            next.Previous = previous;
        }

        node.Previous = null;
        node.Next = null;
        node.Queue = PolicyQueue.None;
        Count--;
    }

    /// <summary>Makes <paramref name="node"/>, which must be in this list, the most recently used.</summary>
    /// <param name="node">The node.</param>
    public void MoveToLast(CacheNode<TKey, TValue> node)
    {
        if (!ReferenceEquals(node, _last))
        {
            Remove(node);
            AddLast(node);
        }
    }

    /// <summary>Puts <paramref name="replacement"/> (not in any list) in the place of <paramref name="node"/>, which leaves the list.</summary>
    /// <param name="node">The node to replace; must be in this list.</param>
    /// <param name="replacement">The node that takes its place.</param>
    public void Replace(CacheNode<TKey, TValue> node, CacheNode<TKey, TValue> replacement)
    {
        var previous = node.Previous;
        var next = node.Next;
        replacement.Previous = previous;
        replacement.Next = next;
        replacement.Queue = Queue;
        if (previous is null)
        {
            First = replacement;
        }
        else
        {
            previous.Next = replacement;
        }

        if (next is null)
        {
            _last = replacement;
        }
        else
        {
            next.Previous = replacement;
        }

        node.Previous = null;
        node.Next = null;
        node.Queue = PolicyQueue.None;
    }
}
