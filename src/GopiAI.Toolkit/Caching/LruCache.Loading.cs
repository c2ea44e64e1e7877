using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace GopiAI.Toolkit.Caching;

// Stampede protection (single flight): concurrent misses for one key run the factory once and share its result. Kept in
// this one file, apart from eviction, so that it can move into a shared SingleFlight<TKey, TValue> without touching the policy.
public sealed partial class LruCache<TKey, TValue>
{
    private readonly ConcurrentDictionary<TKey, InFlight> _inFlight;

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
