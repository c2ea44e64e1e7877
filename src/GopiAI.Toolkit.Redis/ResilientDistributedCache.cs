using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Distributed;

namespace GopiAI.Toolkit.Redis;

/// <summary>
/// Wraps the Redis <see cref="IDistributedCache"/> so that a failed or slow Redis never fails a call: a failure is counted
/// and logged once per outage by <see cref="DistributedCacheHealth"/>, reads answer "not cached" and writes are dropped, and
/// the L2 is skipped for <see cref="DistributedCacheHealth.RetryAfter"/> before it is tried again.
/// </summary>
internal sealed class ResilientDistributedCache(IDistributedCache inner, DistributedCacheHealth health) : IDistributedCache
{
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
