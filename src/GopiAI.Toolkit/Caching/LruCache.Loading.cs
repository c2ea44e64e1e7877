using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace GopiAI.Toolkit.Caching;

// Loading: GetOrAdd/GetOrAddAsync and their stampede protection (single flight): concurrent misses for one key run the
// factory once and share its result. Kept in this one file, apart from eviction, so that the single flight can move into a
// shared SingleFlight<TKey, TValue> without touching the policy.
public sealed partial class LruCache<TKey, TValue>
{
    private readonly ConcurrentDictionary<TKey, InFlight> _inFlight;

    /// <summary>Returns the cached value for <paramref name="key"/>, or runs <paramref name="factory"/> once (even under concurrent misses) and caches its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
    {
        Throw.IfNull(factory);
        return GetOrAdd(key, static (k, f) => f(k), factory);
    }

    /// <summary>
    /// Returns the cached value for <paramref name="key"/>, or runs <paramref name="factory"/> with <paramref name="factoryArgument"/>
    /// once (even under concurrent misses) and caches its result. A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/> so that it can be a static lambda.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg factoryArgument)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        Throw.IfNull(factory);
        return GetOrAddSlow(key, factory, factoryArgument, _defaultTtl);
    }

    /// <summary>
    /// Like <see cref="GetOrAdd{TArg}(TKey, Func{TKey, TArg, TValue}, TArg)"/>, but an entry created by this call lives for
    /// <paramref name="ttl"/> instead of the cache's default (so callers sharing one cache can keep their own TTLs). A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/>.</param>
    /// <param name="ttl">Time to live of a new entry; <see langword="null"/> uses the default; <see cref="Timeout.InfiniteTimeSpan"/> means never.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg factoryArgument, TimeSpan? ttl)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        Throw.IfNull(factory);
        return GetOrAddSlow(key, factory, factoryArgument, ResolveTtl(ttl));
    }

    /// <summary>Returns the cached value for <paramref name="key"/>, or awaits <paramref name="factory"/> once (even under concurrent misses) and caches its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync(TKey key, Func<TKey, CancellationToken, Task<TValue>> factory, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(factory);
        return GetOrAddAsync(key, static (k, f, ct) => new ValueTask<TValue>(f(k, ct)), factory, cancellationToken);
    }

    /// <summary>
    /// Returns the cached value for <paramref name="key"/>, or awaits <paramref name="factory"/> with <paramref name="factoryArgument"/>
    /// once (even under concurrent misses) and caches its result. A hit completes synchronously and allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/> so that it can be a static lambda.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg factoryArgument, CancellationToken cancellationToken = default)
    {
        if (TryGet(key, out var value))
        {
            return new ValueTask<TValue>(value);
        }

        Throw.IfNull(factory);
        return GetOrAddAsyncSlow(key, factory, factoryArgument, _defaultTtl, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="GetOrAddAsync{TArg}(TKey, Func{TKey, TArg, CancellationToken, ValueTask{TValue}}, TArg, CancellationToken)"/>,
    /// but an entry created by this call lives for <paramref name="ttl"/> instead of the cache's default. A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/>.</param>
    /// <param name="ttl">Time to live of a new entry; <see langword="null"/> uses the default; <see cref="Timeout.InfiniteTimeSpan"/> means never.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg factoryArgument, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        if (TryGet(key, out var value))
        {
            return new ValueTask<TValue>(value);
        }

        Throw.IfNull(factory);
        return GetOrAddAsyncSlow(key, factory, factoryArgument, ResolveTtl(ttl), cancellationToken);
    }

    private bool TryGetQuiet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node) && IsLive(node))
        {
            value = node.Value;
            return true;
        }

        value = default;
        return false;
    }

    private TValue GetOrAddSlow<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg argument, long expiresIn)
    {
        Throw.IfDisposed(_disposed, this);
        var mine = new SyncLoad();
        var existing = _inFlight.GetOrAdd(key, mine);
        if (!ReferenceEquals(existing, mine))
        {
            if (existing is SyncLoad running)
            {
                if (running.OwnerThreadId == Environment.CurrentManagedThreadId)
                {
                    throw new InvalidOperationException($"Recursive load of the same key in cache '{Name}': the factory for a key asked the cache for that key.");
                }

                // The owner runs a synchronous factory on another thread; waiting for it is like waiting on a lock.
                return running.Wait();
            }

            // Never block on async code: load independently; the last writer wins, which is harmless for a cache.
            var own = factory(key, argument);
            StoreLoaded(key, own, expiresIn);
            return own;
        }

        try
        {
            if (TryGetQuiet(key, out var cached))
            {
                mine.Complete(cached);
                return cached;
            }

            var value = factory(key, argument);
            StoreLoaded(key, value, expiresIn);
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
            _inFlight.TryRemove(new KeyValuePair<TKey, InFlight>(key, mine));
        }
    }

    private async ValueTask<TValue> GetOrAddAsyncSlow<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg argument, long expiresIn, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Throw.IfDisposed(_disposed, this);
            var mine = new AsyncLoad();
            var existing = _inFlight.GetOrAdd(key, mine);
            if (!ReferenceEquals(existing, mine))
            {
                try
                {
                    return await existing.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The caller that ran the factory was cancelled, not us: try again (and likely run it ourselves).
                    continue;
                }
            }

            try
            {
                if (TryGetQuiet(key, out var cached))
                {
                    mine.Completion.TrySetResult(cached);
                    return cached;
                }

                var value = await factory(key, argument, cancellationToken).ConfigureAwait(false);
                StoreLoaded(key, value, expiresIn);
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
                _inFlight.TryRemove(new KeyValuePair<TKey, InFlight>(key, mine));
            }
        }
    }

    private void StoreLoaded(TKey key, TValue value, long expiresIn)
    {
        if (value is null && !_cacheNulls)
        {
            return;
        }

        if (!_disposed)
        {
            SetCore(key, value, expiresIn);
        }
    }

    private abstract class InFlight
    {
        public int OwnerThreadId { get; } = Environment.CurrentManagedThreadId;

        public abstract Task<TValue> AsTask();
    }

    // A synchronous load: a plain object with a monitor instead of a TaskCompletionSource, so that a miss through GetOrAdd
    // allocates ~40 bytes for stampede protection rather than ~150. A task is created only if an async caller joins.
    private sealed class SyncLoad : InFlight
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

    private sealed class AsyncLoad : InFlight
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
