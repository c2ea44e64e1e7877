using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GopiAI.Toolkit.Testing.Chromium;

/// <summary>A command the browser answered with an error.</summary>
public sealed class CdpException(string message) : Exception(message);

/// <summary>
/// One WebSocket to the browser, speaking the Chrome DevTools Protocol: JSON commands with ids, answered by results with the
/// same id, and events. Sessions of attached tabs share it (flat mode: each message names its <c>sessionId</c>).
/// </summary>
public sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, Action<string, JsonElement>> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private long _nextId;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Connects to the browser's WebSocket endpoint.</summary>
    public static async Task<CdpConnection> ConnectAsync(Uri endpoint)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(endpoint, timeout.Token);
        return new CdpConnection(socket);
    }

    /// <summary>Sends a browser-level command and returns its result.</summary>
    public Task<JsonElement> SendAsync(string method, object parameters, CancellationToken cancellationToken = default) =>
        SendAsync(null, method, parameters, cancellationToken);

    /// <summary>Sends a command to <paramref name="sessionId"/> (or the browser) and returns its result.</summary>
    /// <exception cref="CdpException">The browser answered with an error.</exception>
    public async Task<JsonElement> SendAsync(string? sessionId, string method, object parameters, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters),
        };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            return await answer.Task.WaitAsync(timeout.Token);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Routes the events of <paramref name="sessionId"/> to <paramref name="handler"/> (method, params).</summary>
    public void Subscribe(string sessionId, Action<string, JsonElement> handler) => _sessions[sessionId] = handler;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser may have closed first.
        }

        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Ends with the socket.
        }

        _socket.Dispose();
        _sendGate.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new CdpException("The connection to the browser closed."));
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (_pending.TryGetValue(idElement.GetInt64(), out var answer))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    answer.TrySetException(new CdpException(error.GetRawText()));
                }
                else
                {
                    answer.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var method)
            && root.TryGetProperty("sessionId", out var session)
            && _sessions.TryGetValue(session.GetString()!, out var handler))
        {
            handler(method.GetString()!, root.TryGetProperty("params", out var parameters) ? parameters.Clone() : default);
        }
    }
}
