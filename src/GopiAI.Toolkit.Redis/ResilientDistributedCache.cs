using System.Buffers;
using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Distributed;

namespace GopiAI.Toolkit.Redis;

/// <summary>
/// Wraps the Redis <see cref="IDistributedCache"/> so that a failed or slow Redis never fails a call: a failure is counted
/// and logged once per outage by <see cref="DistributedCacheHealth"/>, reads answer "not cached" and writes are dropped, and
/// the L2 is skipped for <see cref="DistributedCacheHealth.RetryAfter"/> before it is tried again.
/// </summary>
/// <remarks>
/// It also passes <see cref="IBufferDistributedCache"/> through when the inner cache has it (RedisCache does), so that
/// HybridCache reads and writes pooled buffers instead of allocating a <c>byte[]</c> per payload.
/// </remarks>
internal sealed class ResilientDistributedCache(IDistributedCache inner, DistributedCacheHealth health) : IBufferDistributedCache
{
    private readonly IBufferDistributedCache? _buffered = inner as IBufferDistributedCache;

    public bool TryGet(string key, IBufferWriter<byte> destination) =>
        _buffered is null ? CopyTo(Get(key), destination) : Run("get", () => _buffered.TryGet(key, destination), false);

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        if (_buffered is null)
        {
            return CopyTo(await GetAsync(key, token).ConfigureAwait(false), destination);
        }

        if (!health.ShouldTry)
        {
            return false;
        }

        try
        {
            var found = await _buffered.TryGetAsync(key, destination, token).ConfigureAwait(false);
            health.RecordSuccess();
            return found;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            health.RecordFailure("get", ex);
            return false;
        }
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        if (_buffered is null)
        {
            Set(key, value.ToArray(), options);
            return;
        }

        Run("set", () => { _buffered.Set(key, value, options); return true; }, false);
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (_buffered is null)
        {
            await SetAsync(key, value.ToArray(), options, token).ConfigureAwait(false);
            return;
        }

        // The sequence is only valid during this call: await the write before returning.
        await RunAsync("set", token, () => _buffered.SetAsync(key, value, options, token).AsTask()).ConfigureAwait(false);
    }

    public byte[]? Get(string key) => Run("get", () => inner.Get(key), null);

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (!health.ShouldTry)
        {
            return null;
        }

        try
        {
            var value = await inner.GetAsync(key, token).ConfigureAwait(false);
            health.RecordSuccess();
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            health.RecordFailure("get", ex);
            return null;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Run("set", () => { inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync("set", token, () => inner.SetAsync(key, value, options, token));

    public void Refresh(string key) => Run("refresh", () => { inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) => RunAsync("refresh", token, () => inner.RefreshAsync(key, token));

    public void Remove(string key) => Run("remove", () => { inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) => RunAsync("remove", token, () => inner.RemoveAsync(key, token));

    private static bool CopyTo(byte[]? value, IBufferWriter<byte> destination)
    {
        if (value is null)
        {
            return false;
        }

        destination.Write(value);
        return true;
    }

    private T Run<T>(string operation, Func<T> action, T fallback)
    {
        if (!health.ShouldTry)
        {
            return fallback;
        }

        try
        {
            var result = action();
            health.RecordSuccess();
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            health.RecordFailure(operation, ex);
            return fallback;
        }
    }

    private async Task RunAsync(string operation, CancellationToken token, Func<Task> action)
    {
        if (!health.ShouldTry)
        {
            return;
        }

        try
        {
            await action().ConfigureAwait(false);
            health.RecordSuccess();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            health.RecordFailure(operation, ex);
        }
    }
}
