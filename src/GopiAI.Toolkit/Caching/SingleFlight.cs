using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Runs at most one load per key at a time: concurrent callers asking for the same key share the running load's result
/// (stampede protection). A load that throws or is cancelled is never remembered: the callers that joined it see its
/// exception, the next caller starts a new load. Shared by <see cref="LruCache{TKey, TValue}"/> (one flight per missing key)
/// and the startup optimizer's lazy components (one flight per component).
/// </summary>
/// <remarks>
/// <para>Three ways in:</para>
/// <list type="bullet">
/// <item><see cref="Run{TArg}"/>: synchronous. The first caller runs the load on its own thread; callers on other threads
/// wait for it like on a lock; the same thread asking again (the load asked for its own key) gets an
/// <see cref="InvalidOperationException"/> instead of a deadlock. A synchronous caller that finds an asynchronous load
/// in flight runs the load itself rather than block on async code.</item>
/// <item><see cref="RunAsync{TArg}"/>: the first caller runs the load with its own token; the others wait with theirs, and
/// retry when the load was cancelled by its caller's token but theirs is not cancelled.</item>
/// <item><see cref="StartOrJoin{TArg}"/>: the load runs detached, on a token of the owner's lifetime, and every caller
/// (its starter too) waits on the shared task with its own token, so no caller's cancellation fails the others.</item>
/// </list>
/// <para>A synchronous flight is a plain object with a monitor, not a <see cref="TaskCompletionSource{TResult}"/>, so that a
/// synchronous miss costs ~40 bytes of protection rather than ~150; a task is created only if an async caller joins.</para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The loaded value type.</typeparam>
internal sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Flight> _flights;
    private readonly Func<TKey, string> _describeRecursion;

    /// <summary>Creates the single flight.</summary>
    /// <param name="comparer">Compares keys; <see langword="null"/> for the default comparer.</param>
    /// <param name="describeRecursion">The message of the exception thrown when a load asks for its own key on its own thread.</param>
    public SingleFlight(IEqualityComparer<TKey>? comparer, Func<TKey, string> describeRecursion)
    {
        _flights = new ConcurrentDictionary<TKey, Flight>(Environment.ProcessorCount, 8, comparer ?? EqualityComparer<TKey>.Default);
        _describeRecursion = describeRecursion;
    }

    /// <summary>Gets the number of loads in flight (for tests).</summary>
    public int InFlight => _flights.Count;

    /// <summary>Runs <paramref name="load"/> for <paramref name="key"/>, or waits for the load another thread is running.</summary>
    /// <exception cref="InvalidOperationException">The calling thread is already running the load of <paramref name="key"/>.</exception>
    public TValue Run<TArg>(TKey key, Func<TKey, TArg, TValue> load, TArg argument)
    {
        var mine = new SyncFlight();
        var existing = _flights.GetOrAdd(key, mine);
        if (!ReferenceEquals(existing, mine))
        {
            if (existing is SyncFlight running)
            {
                if (running.OwnerThreadId == Environment.CurrentManagedThreadId)
                {
                    throw new InvalidOperationException(_describeRecursion(key));
                }

                return running.Wait();
            }

            // Never block on async code: load independently; the last writer wins, which is harmless for a cache.
            return load(key, argument);
        }

        try
        {
            var value = load(key, argument);
            mine.Complete(value);
            return value;
        }
        catch (Exception ex)
        {
            mine.Fail(ex);
            throw;
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<TKey, Flight>(key, mine));
        }
    }

    /// <summary>Runs <paramref name="load"/> for <paramref name="key"/> with this caller's token, or joins the load in flight.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<TValue> RunAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> load, TArg argument, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mine = new AsyncFlight();
            var existing = _flights.GetOrAdd(key, mine);
            if (!ReferenceEquals(existing, mine))
            {
                try
                {
                    return await existing.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The caller that ran the load was cancelled, not us: try again (and likely run it ourselves).
                    continue;
                }
            }

            try
            {
                var value = await load(key, argument, cancellationToken).ConfigureAwait(false);
                mine.Completion.TrySetResult(value);
                return value;
            }
            catch (OperationCanceledException oce)
            {
                mine.Completion.TrySetCanceled(oce.CancellationToken);
                throw;
            }
            catch (Exception ex)
            {
                mine.Fail(ex);
                throw;
            }
            finally
            {
                _flights.TryRemove(new KeyValuePair<TKey, Flight>(key, mine));
            }
        }
    }

    /// <summary>
    /// Returns the task of the load in flight for <paramref name="key"/>, starting <paramref name="load"/> on
    /// <paramref name="loadToken"/> when there is none. Callers wait on it with their own token (<c>WaitAsync</c>).
    /// </summary>
    public Task<TValue> StartOrJoin<TArg>(TKey key, Func<TKey, TArg, CancellationToken, Task<TValue>> load, TArg argument, CancellationToken loadToken)
    {
        var mine = new AsyncFlight();
        var existing = _flights.GetOrAdd(key, mine);
        if (!ReferenceEquals(existing, mine))
        {
            return existing.AsTask();
        }

        _ = RunDetachedAsync(key, mine, load, argument, loadToken);
        return mine.Completion.Task;
    }

    private async Task RunDetachedAsync<TArg>(TKey key, AsyncFlight mine, Func<TKey, TArg, CancellationToken, Task<TValue>> load, TArg argument, CancellationToken loadToken)
    {
        try
        {
            var value = await load(key, argument, loadToken).ConfigureAwait(false);
            _flights.TryRemove(new KeyValuePair<TKey, Flight>(key, mine));
            mine.Completion.TrySetResult(value);
        }
        catch (Exception ex)
        {
            // Removed before completing, so that a caller woken by the failure starts a new load instead of joining this one.
            _flights.TryRemove(new KeyValuePair<TKey, Flight>(key, mine));
            if (ex is OperationCanceledException oce)
            {
                mine.Completion.TrySetCanceled(oce.CancellationToken);
            }
            else
            {
                mine.Fail(ex);
            }
        }
    }

    private abstract class Flight
    {
        public int OwnerThreadId { get; } = Environment.CurrentManagedThreadId;

        public abstract Task<TValue> AsTask();
    }

    private sealed class SyncFlight : Flight
    {
        private TValue? _value;
        private ExceptionDispatchInfo? _error;
        private bool _done;
        private int _waiters;
        private TaskCompletionSource<TValue>? _completion;

        public void Complete(TValue value)
        {
            TaskCompletionSource<TValue>? completion;
            lock (this)
            {
                _value = value;
                _done = true;
                if (_waiters > 0)
                {
                    Monitor.PulseAll(this);
                }

                completion = _completion;
            }

            completion?.TrySetResult(value);
        }

        public void Fail(Exception exception)
        {
            TaskCompletionSource<TValue>? completion;
            lock (this)
            {
                _error = ExceptionDispatchInfo.Capture(exception);
                _done = true;
                if (_waiters > 0)
                {
                    Monitor.PulseAll(this);
                }

                completion = _completion;
            }

            if (completion is not null && completion.TrySetException(exception))
            {
                _ = completion.Task.Exception;
            }
        }

        public TValue Wait()
        {
            lock (this)
            {
                _waiters++;
                while (!_done)
                {
                    Monitor.Wait(this);
                }
            }

            _error?.Throw();
            return _value!;
        }

        public override Task<TValue> AsTask()
        {
            lock (this)
            {
                if (_done)
                {
                    return _error is null ? Task.FromResult(_value!) : Task.FromException<TValue>(_error.SourceException);
                }

                return (_completion ??= new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    private sealed class AsyncFlight : Flight
    {
        public TaskCompletionSource<TValue> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<TValue> AsTask() => Completion.Task;

        public void Fail(Exception exception)
        {
            if (Completion.TrySetException(exception))
            {
                // Mark observed: callers that joined already rethrow it; nobody else should see UnobservedTaskException.
                _ = Completion.Task.Exception;
            }
        }
    }
}
