using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace GopiAI.Toolkit.Redis;

/// <summary>
/// An <see cref="ICacheInvalidationBus"/> on Redis pub/sub: each invalidation is one message on
/// <see cref="GopiRedisOptions.InvalidationChannel"/>; every instance subscribed to the channel drops its L1 copy. Messages
/// from this instance are ignored on receipt. When the subscription connection comes back after a loss, listeners are told
/// that messages may have been missed (they then clear their L1).
/// </summary>
/// <remarks>Message format (UTF-8 text, one field per line): <c>gopi1</c>, sender id, kind (<c>key</c>, <c>cache</c>, <c>tag</c>), target, key.</remarks>
public sealed partial class RedisInvalidationBus : ICacheInvalidationBus, IDisposable
{
    private const string Version = "gopi1";
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisChannel _channel;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ICacheInvalidationListener[] _listeners = [];
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _subscribing;
    private bool _disposed;

    /// <summary>Creates the bus on <paramref name="connection"/>.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="channel">The pub/sub channel.</param>
    /// <param name="logger">Logs malformed messages and listener failures; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is null, empty or white space.</exception>
    public RedisInvalidationBus(IConnectionMultiplexer connection, string channel, ILogger? logger = null)
    {
        _connection = Throw.IfNull(connection);
        _channel = RedisChannel.Literal(Throw.IfNullOrWhiteSpace(channel));
        _logger = logger ?? NullLogger.Instance;
        _connection.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Gets a task that completes when the channel subscription is in place (it is retried in the background until then).</summary>
    public Task WhenSubscribed => _subscribed.Task;

    /// <summary>Gets the number of messages received from other instances.</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <inheritdoc/>
    public async ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = string.Join('\n', Version, _origin, KindName(invalidation.Kind), invalidation.Target, invalidation.Key ?? string.Empty);
        await _connection.GetSubscriber().PublishAsync(_channel, message).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(ICacheInvalidationListener listener)
    {
        Throw.IfNull(listener);
        bool subscribe;
        lock (_gate)
        {
            Throw.IfDisposed(_disposed, this);
            _listeners = [.. _listeners, listener];
            subscribe = !_subscribing;
            _subscribing = true;
        }

        if (subscribe)
        {
            // Never block the caller (startup) on Redis: subscribe in the background, retrying until it succeeds.
            _ = SubscribeUntilDoneAsync();
        }

        return new Subscription(this, listener);
    }

    /// <summary>Stops listening on the channel.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _listeners = [];
        }

        _connection.ConnectionRestored -= OnConnectionRestored;
        try
        {
            // Fire and forget: disposal never waits on Redis (it may be slow or gone).
            _connection.GetSubscriber().Unsubscribe(_channel, null, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The connection is gone already (or the multiplexer was disposed first): nothing to unsubscribe from.
        }
    }

    private async Task SubscribeUntilDoneAsync()
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!Volatile.Read(ref _disposed))
        {
            try
            {
                await _connection.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
                _subscribed.TrySetResult();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Messages published before the subscription lands are missed: the listeners must not trust their L1.
                Log.SubscribeFailed(_logger, ex.Message);
                NotifyMessagesMayBeLost();
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            await Task.Delay(delay).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    internal static bool TryParse(string text, out string origin, out CacheInvalidation invalidation)
    {
        origin = string.Empty;
        invalidation = default;
        var parts = text.Split('\n');
        if (parts.Length != 5 || parts[0] != Version)
        {
            return false;
        }

        CacheInvalidationKind kind;
        switch (parts[2])
        {
            case "key": kind = CacheInvalidationKind.Key; break;
            case "cache": kind = CacheInvalidationKind.Cache; break;
            case "tag": kind = CacheInvalidationKind.Tag; break;
            default: return false;
        }

        origin = parts[1];
        invalidation = new CacheInvalidation(kind, parts[3], kind == CacheInvalidationKind.Key ? parts[4] : null);
        return parts[3].Length > 0;
    }

    private static string KindName(CacheInvalidationKind kind) => kind switch
    {
        CacheInvalidationKind.Key => "key",
        CacheInvalidationKind.Cache => "cache",
        CacheInvalidationKind.Tag => "tag",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private void OnMessage(RedisValue message)
    {
        if (!TryParse(message.ToString(), out var origin, out var invalidation))
        {
            Log.Malformed(_logger, message.ToString().Length);
            return;
        }

        if (origin == _origin)
        {
            return;
        }

        Interlocked.Increment(ref _received);
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener.OnInvalidation(invalidation);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(_logger, ex);
            }
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            NotifyMessagesMayBeLost();
        }
    }

    private void NotifyMessagesMayBeLost()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener.OnMessagesMayBeLost();
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(_logger, ex);
            }
        }
    }

    private void Remove(ICacheInvalidationListener listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Subscription(RedisInvalidationBus bus, ICacheInvalidationListener listener) : IDisposable
    {
        public void Dispose() => bus.Remove(listener);
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "Ignored a malformed cache-invalidation message ({Length} chars).")]
        public static partial void Malformed(ILogger logger, int length);

        [LoggerMessage(31, LogLevel.Error, "A cache-invalidation listener failed.")]
        public static partial void ListenerFailed(ILogger logger, Exception exception);

        [LoggerMessage(32, LogLevel.Warning, "Could not subscribe to the cache-invalidation channel now ({Message}); retrying in the background.")]
        public static partial void SubscribeFailed(ILogger logger, string message);
    }
}
