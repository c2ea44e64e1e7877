using System.Collections.Concurrent;
using System.Diagnostics;

namespace GopiAI.Toolkit.Pooling;

/// <summary>
/// Runs periodic cleanup actions (default every 5 minutes) and one-off delayed disposals, on timers from a
/// <see cref="TimeProvider"/> so that tests drive it with a fake clock. Disposing the scheduler stops the timers and disposes
/// every resource still waiting for its delayed cleanup.
/// </summary>
public sealed class CleanupScheduler : IDisposable
{
    /// <summary>The default interval between periodic cleanups (5 minutes).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Registration, byte> _periodic = new();
    private readonly ConcurrentDictionary<ScheduledDisposal, byte> _pending = new();
    private readonly ITimer _timer;
    private long _runs;
    private int _disposed;

    /// <summary>Creates a scheduler.</summary>
    /// <param name="timeProvider">The clock and timer source; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="interval">The period of the cleanup actions; <see langword="null"/> means <see cref="DefaultInterval"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is zero or negative.</exception>
    public CleanupScheduler(TimeProvider? timeProvider = null, TimeSpan? interval = null)
    {
        Interval = interval is { } i ? Throw.IfNotPositive(i, paramName: nameof(interval)) : DefaultInterval;
        _time = timeProvider ?? TimeProvider.System;
        _timer = _time.CreateTimer(static s => ((CleanupScheduler)s!).RunNow(), this, Interval, Interval);
    }

    /// <summary>Gets the period of the cleanup actions.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets the number of periodic cleanup passes run so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Gets the number of resources waiting for a delayed disposal.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Adds an action run on every periodic pass. Exceptions it throws are caught so that other actions still run.</summary>
    /// <param name="cleanup">The action.</param>
    /// <returns>A handle; dispose it to remove the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cleanup"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler has been disposed.</exception>
    public IDisposable Register(Action cleanup)
    {
        Throw.IfNull(cleanup);
        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        var registration = new Registration(this, cleanup);
        _periodic[registration] = 0;
        return registration;
    }

    /// <summary>Disposes <paramref name="resource"/> after <paramref name="delay"/> (measured by the scheduler's clock), or when the scheduler is disposed, whichever comes first.</summary>
    /// <param name="resource">The resource; the scheduler takes ownership of it.</param>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A handle; dispose it to cancel the cleanup (the resource is then not disposed by the scheduler).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler has been disposed.</exception>
    public IDisposable ScheduleCleanup(IDisposable resource, TimeSpan delay)
    {
        Throw.IfNull(resource);
        return Schedule(resource, delay);
    }

    /// <summary>Disposes <paramref name="resource"/> asynchronously after <paramref name="delay"/>, or when the scheduler is disposed.</summary>
    /// <param name="resource">The resource; the scheduler takes ownership of it.</param>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A handle; dispose it to cancel the cleanup.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler has been disposed.</exception>
    public IDisposable ScheduleCleanup(IAsyncDisposable resource, TimeSpan delay)
    {
        Throw.IfNull(resource);
        return Schedule(resource, delay);
    }

    /// <summary>Runs every periodic cleanup action now (the timer calls this).</summary>
    public void RunNow()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        Interlocked.Increment(ref _runs);
        foreach (var registration in _periodic.Keys)
        {
            try
            {
                registration.Action();
            }
            catch (Exception ex)
            {
                Debug.WriteLine($"GopiAI.Toolkit: a cleanup action threw: {ex}");
            }
        }
    }

    /// <summary>Stops the timers and disposes every resource still waiting for its delayed cleanup. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _timer.Dispose();
        _periodic.Clear();
        foreach (var pending in _pending.Keys)
        {
            pending.Fire();
        }
    }

    private ScheduledDisposal Schedule(object resource, TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must not be negative.");
        }

        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        var scheduled = new ScheduledDisposal(this, resource);
        _pending[scheduled] = 0;
        scheduled.Start(_time, delay);
        return scheduled;
    }

    private sealed class Registration(CleanupScheduler owner, Action action) : IDisposable
    {
        public Action Action { get; } = action;

        public void Dispose() => owner._periodic.TryRemove(this, out _);
    }

    private sealed class ScheduledDisposal(CleanupScheduler owner, object resource) : IDisposable
    {
        private ITimer? _timer;
        private int _done;

        public void Start(TimeProvider time, TimeSpan delay) =>
            _timer = time.CreateTimer(static s => ((ScheduledDisposal)s!).Fire(), this, delay, Timeout.InfiniteTimeSpan);

        public void Fire()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            owner._pending.TryRemove(this, out _);
            _timer?.Dispose();
            try
            {
                if (resource is IAsyncDisposable asyncDisposable)
                {
                    _ = DisposeAsync(asyncDisposable);
                }
                else
                {
                    ((IDisposable)resource).Dispose();
                }
            }
            catch (Exception ex)
            {
                Debug.WriteLine($"GopiAI.Toolkit: a scheduled cleanup threw: {ex}");
            }
        }

        // Cancels the cleanup: the resource goes back to the caller's ownership.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner._pending.TryRemove(this, out _);
                _timer?.Dispose();
            }
        }

        private static async Task DisposeAsync(IAsyncDisposable resource)
        {
            try
            {
                await resource.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Debug.WriteLine($"GopiAI.Toolkit: a scheduled async cleanup threw: {ex}");
            }
        }
    }
}
