using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Pooling;

/// <summary>
/// Rents an object from a pool for the length of a <c>using</c> block and returns it on <see cref="Dispose"/>, without
/// allocating. Generated <c>[Pooled]</c> code uses it: <c>using var lease = new PooledLease&lt;Foo&gt;(pool);</c>.
/// </summary>
/// <typeparam name="T">The pooled type.</typeparam>
public ref struct PooledLease<T>
    where T : class
{
    private ObjectPool<T>? _pool;
    private T? _value;

    /// <summary>Rents an object from <paramref name="pool"/>.</summary>
    /// <param name="pool">The pool.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is <see langword="null"/>.</exception>
    public PooledLease(ObjectPool<T> pool)
    {
        _pool = Throw.IfNull(pool);
        _value = pool.Get();
    }

    /// <summary>Gets the rented object.</summary>
    /// <exception cref="ObjectDisposedException">The lease has been disposed (the object went back to the pool).</exception>
    public readonly T Value => _value ?? throw new ObjectDisposedException("PooledLease", "The lease has been disposed and its object returned to the pool.");

    /// <summary>Returns the object to the pool. Only the first call returns it; later calls do nothing.</summary>
    public void Dispose()
    {
        var pool = _pool;
        var value = _value;
        _pool = null;
        _value = null;
        if (pool is not null && value is not null)
        {
            pool.Return(value);
        }
    }
}
