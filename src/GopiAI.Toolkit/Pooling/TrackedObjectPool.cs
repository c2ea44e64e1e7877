using GopiAI.Toolkit.Internal;
using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Pooling;

/// <summary>
/// An <see cref="ObjectPool{T}"/> from <see cref="DefaultObjectPoolProvider"/> (so disposable objects that the pool drops or
/// holds at disposal are disposed), wrapped with per-thread (lock-free, exact) counters for rented and returned objects and a count of created ones.
/// </summary>
/// <typeparam name="T">The pooled type.</typeparam>
public sealed class TrackedObjectPool<T> : ObjectPool<T>, IPoolStatistics, IDisposable
    where T : class
{
    private readonly ObjectPool<T> _inner;
    private readonly Policy _policy;
    private readonly PerThreadCounters _counters = new();
    private readonly Lock _drainGate = new();
    private long _drained;
    private int _disposed;

    /// <summary>Creates a pool.</summary>
    /// <param name="name">The name statistics are reported under.</param>
    /// <param name="create">Creates a new object when none is retained.</param>
    /// <param name="reset">Resets an object on return; objects implementing <see cref="IResettable"/> are reset through <see cref="IResettable.TryReset"/> (and dropped when it returns <see langword="false"/>).</param>
    /// <param name="maxRetained">How many idle objects to keep at most.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetained"/> is zero or negative.</exception>
    public TrackedObjectPool(string name, Func<T> create, Action<T>? reset = null, int maxRetained = 100)
    {
        Name = Throw.IfNullOrWhiteSpace(name);
        Throw.IfNull(create);
        MaxRetained = Throw.IfNotPositive(maxRetained);
        _policy = new Policy(create, reset);
        _inner = new DefaultObjectPoolProvider { MaximumRetained = maxRetained }.Create(_policy);
    }

    /// <summary>Gets the name statistics are reported under.</summary>
    public string Name { get; }

    /// <summary>Gets how many idle objects the pool keeps at most.</summary>
    public int MaxRetained { get; }

    /// <summary>Rents an object: a retained one if available, otherwise a new one.</summary>
    /// <returns>The object; give it back with <see cref="Return"/>.</returns>
    /// <exception cref="ObjectDisposedException">The pool has been disposed (only for pools of disposable objects).</exception>
    public override T Get()
    {
        _counters.Local.First++;
        return _inner.Get();
    }

    /// <summary>Gives an object back: it is reset and retained, or dropped (and disposed if disposable) when the pool is full or the reset refuses it.</summary>
    /// <param name="obj">The object, which the caller must not use afterwards.</param>
    /// <exception cref="ArgumentNullException"><paramref name="obj"/> is <see langword="null"/>.</exception>
    public override void Return(T obj)
    {
        Throw.IfNull(obj);
        _counters.Local.Second++;
        _inner.Return(obj);
    }

    /// <inheritdoc />
    public PoolStats GetStats() =>
        new(Name, Volatile.Read(ref _policy.Created), _counters.SumFirst(), _counters.SumSecond(), MaxRetained, Volatile.Read(ref _drained));

    /// <inheritdoc />
    public int DrainIdle()
    {
        var drained = 0;
        lock (_drainGate)
        {
            Policy.Draining = true;
            try
            {
                for (var i = 0; i < MaxRetained && Volatile.Read(ref _disposed) == 0; i++)
                {
                    // While draining, the policy's Create returns null on this thread, so an empty pool ends the loop
                    // instead of manufacturing objects only to throw them away.
                    var obj = _inner.Get();
                    if (obj is null)
                    {
                        break;
                    }

                    (obj as IDisposable)?.Dispose();
                    drained++;
                }
            }
            finally
            {
                Policy.Draining = false;
            }
        }

        Interlocked.Add(ref _drained, drained);
        return drained;
    }

    /// <summary>Disposes the retained objects that are disposable; objects still rented are disposed when returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            (_inner as IDisposable)?.Dispose();
            _counters.Dispose();
        }
    }

    private sealed class Policy(Func<T> create, Action<T>? reset) : PooledObjectPolicy<T>
    {
        [ThreadStatic]
        private static bool t_draining;

        public long Created;

        public static bool Draining
        {
            get => t_draining;
            set => t_draining = value;
        }

        public override T Create()
        {
            if (t_draining)
            {
                return null!;
            }

            var obj = create();
            Interlocked.Increment(ref Created);
            return obj;
        }

        public override bool Return(T obj)
        {
            if (obj is IResettable resettable)
            {
                return resettable.TryReset();
            }

            reset?.Invoke(obj);
            return true;
        }
    }
}
