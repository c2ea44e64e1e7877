namespace GopiAI.Toolkit.Pooling;

/// <summary>A point-in-time snapshot of a pool's counters.</summary>
/// <param name="Name">The pool name (by default the pooled type's name).</param>
/// <param name="Created">Objects the pool had to create because none was retained.</param>
/// <param name="Rented">Objects handed out.</param>
/// <param name="Returned">Objects given back.</param>
/// <param name="MaxRetained">How many idle objects the pool keeps at most.</param>
/// <param name="Drained">Idle objects dropped (and disposed if disposable) by cleanup or memory pressure.</param>
public sealed record PoolStats(string Name, long Created, long Rented, long Returned, int MaxRetained, long Drained)
{
    /// <summary>Gets the objects rented and not yet returned (<see cref="Rented"/> − <see cref="Returned"/>).</summary>
    public long Outstanding => Rented - Returned;

    /// <summary>Gets the share of rentals served without creating an object, in [0, 1].</summary>
    public double ReuseRate => Rented == 0 ? 0 : Math.Max(0, (double)(Rented - Created) / Rented);
}

/// <summary>A source of pool statistics that <see cref="ResourcePoolManager"/> reports and cleans up.</summary>
public interface IPoolStatistics
{
    /// <summary>Returns a snapshot of the pool's counters.</summary>
    /// <returns>The statistics.</returns>
    PoolStats GetStats();

    /// <summary>Drops the idle objects the pool retains (disposing disposable ones).</summary>
    /// <returns>The number of objects dropped.</returns>
    int DrainIdle();
}
