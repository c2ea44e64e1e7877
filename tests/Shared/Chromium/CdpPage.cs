using System.Diagnostics;
using System.Text.Json;

namespace GopiAI.Toolkit.Testing.Chromium;

/// <summary>A console message, uncaught exception or browser log entry seen on a page.</summary>
/// <param name="Kind"><c>console</c>, <c>exception</c> or <c>log</c>.</param>
/// <param name="Level">The level (<c>error</c>, <c>warning</c>, <c>log</c>, …).</param>
/// <param name="Text">What it said.</param>
public sealed record PageMessage(string Kind, string Level, string Text)
{
    public bool IsError => Kind == "exception" || Level is "error" or "assert";

    public override string ToString() => $"{Kind}/{Level}: {Text}";
}

/// <summary>
/// One browser tab over the DevTools Protocol: navigates, evaluates script, waits for conditions, takes screenshots, and
/// records every console message, uncaught exception, browser log entry and network request the page makes.
/// </summary>
public sealed class CdpPage
{
    private readonly CdpConnection _connection;
    private readonly string _session;
    private readonly Lock _gate = new();
    private readonly List<PageMessage> _messages = [];
    private readonly List<string> _requests = [];
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CdpPage(CdpConnection connection, string session)
    {
        _connection = connection;
        _session = session;
        connection.Subscribe(session, OnEvent);
    }

    /// <summary>Gets every console message, exception and log entry so far.</summary>
    public IReadOnlyList<PageMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Gets the URL of every request the page made so far (documents, scripts, styles, icons, fetches, event streams).</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits for the load event.</summary>
    public async Task NavigateAsync(string url, TimeSpan? timeout = null)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new { url });
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            throw new CdpException($"Navigating to {url} failed: {text}");
        }

        await _loaded.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (promises are awaited).</summary>
    /// <exception cref="CdpException">The expression threw.</exception>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new CdpException($"'{expression}' threw: {exception.GetRawText()}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Polls <paramref name="condition"/> (a JavaScript expression) until it is true.</summary>
    /// <exception cref="TimeoutException">It stayed false; the message says what was awaited and what the page logged.</exception>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await EvaluateAsync($"Boolean({condition})");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what} ({condition}). Page messages:\n{string.Join('\n', Messages)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> and returns a string as it is, anything else as JSON (<c>true</c>, <c>42</c>).</summary>
    public async Task<string> TextAsync(string expression)
    {
        var value = await EvaluateAsync(expression);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Undefined => "undefined",
            _ => value.GetRawText(),
        };
    }

    /// <summary>Saves a PNG of the whole page to <paramref name="path"/> and returns its size in bytes.</summary>
    public async Task<long> ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        var bytes = Convert.FromBase64String(shot.GetProperty("data").GetString()!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, bytes);
        return bytes.LongLength;
    }

    internal async Task EnableAsync()
    {
        await SendAsync("Page.enable", new { });
        await SendAsync("Runtime.enable", new { });
        await SendAsync("Log.enable", new { });
        await SendAsync("Network.enable", new { });
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 1800, deviceScaleFactor = 1, mobile = false });
    }

    private Task<JsonElement> SendAsync(string method, object parameters) => _connection.SendAsync(_session, method, parameters);

    private void OnEvent(string method, JsonElement parameters)
    {
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled":
                var texts = parameters.GetProperty("args").EnumerateArray()
                    .Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var d) ? d.GetString() : a.GetRawText());
                Add(new PageMessage("console", parameters.GetProperty("type").GetString()!, string.Join(' ', texts)));
                break;
            case "Runtime.exceptionThrown":
                Add(new PageMessage("exception", "error", parameters.GetProperty("exceptionDetails").GetRawText()));
                break;
            case "Log.entryAdded":
                var entry = parameters.GetProperty("entry");
                var url = entry.TryGetProperty("url", out var u) ? " " + u.GetString() : string.Empty;
                Add(new PageMessage("log", entry.GetProperty("level").GetString()!, entry.GetProperty("text").GetString() + url));
                break;
            case "Network.requestWillBeSent":
                lock (_gate)
                {
                    _requests.Add(parameters.GetProperty("request").GetProperty("url").GetString()!);
                }

                break;
        }
    }

    private void Add(PageMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }
}
