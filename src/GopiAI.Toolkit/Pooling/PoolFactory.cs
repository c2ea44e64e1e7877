using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Pooling;

/// <summary>Creates pools for generated <c>[Pooled]</c> code: Microsoft.Extensions.ObjectPool underneath, statistics in <see cref="ResourcePoolManager.Shared"/>.</summary>
public static class PoolFactory
{
    /// <summary>
    /// Creates a pool of <typeparamref name="T"/> and registers its statistics in <see cref="ResourcePoolManager.Shared"/> under
    /// the type name (<c>typeof(T).Name</c>; generic types as <c>List&lt;String&gt;</c>), replacing an earlier pool of that type, so repeated creation does not leak registrations.
    /// <see cref="ResourcePoolManager.GetObject{T}"/> on the shared manager then uses this same pool.
    /// </summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <param name="create">Creates a new object when none is retained.</param>
    /// <param name="reset">Resets an object on return (objects implementing <see cref="IResettable"/> use <see cref="IResettable.TryReset"/> instead).</param>
    /// <param name="maxRetained">How many idle objects to keep at most (default 100).</param>
    /// <returns>The pool (a <see cref="TrackedObjectPool{T}"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetained"/> is zero or negative.</exception>
    public static ObjectPool<T> Create<T>(Func<T> create, Action<T>? reset, int maxRetained = 100)
        where T : class
    {
        var pool = new TrackedObjectPool<T>(Internal.TypeNames.Display(typeof(T)), create, reset, maxRetained);
        ResourcePoolManager.Shared.RegisterPool(pool);
        return pool;
    }
}
