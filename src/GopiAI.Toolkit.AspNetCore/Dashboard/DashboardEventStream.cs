using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The events of <c>/events</c>, one per sampling tick, written by ASP.NET Core's Server-Sent Events result.
/// <list type="bullet">
/// <item><c>snapshot</c>: the whole state and the whole time series; the client replaces what it has. Sent first on a new
/// connection, and whenever the client's last event can no longer be continued.</item>
/// <item><c>update</c>: the whole state and only the points since the client's last event; the client appends them.</item>
/// </list>
/// Every event has the id <c>{instance}:{sequence}</c>. A reconnecting client sends it back (<c>Last-Event-ID</c>, which
/// browsers do by themselves, or <c>?lastEventId=</c>): if it is this instance's and its points are still kept, the stream
/// resumes with an <c>update</c> holding exactly the missed points, so a chart has no gap and no duplicate. The first
/// event carries <c>retry</c> (<see cref="GopiDashboardOptions.ReconnectDelay"/>).
/// </summary>
internal static class DashboardEventStream
{
    public const string SnapshotEvent = "snapshot";
    public const string UpdateEvent = "update";

    public static string EventId(string instance, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{instance}:{sequence}");

    /// <summary>Parses <paramref name="lastEventId"/>; returns the sequence when it names a tick of <paramref name="instance"/>.</summary>
    public static long? ResumeFrom(string? lastEventId, string instance)
    {
        if (string.IsNullOrEmpty(lastEventId))
        {
            return null;
        }

        var colon = lastEventId.LastIndexOf(':');
        return colon > 0
            && lastEventId.AsSpan(0, colon).SequenceEqual(instance)
            && long.TryParse(lastEventId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
    }

    public static async IAsyncEnumerable<SseItem<string>> ReadAsync(DashboardSampler sampler, string? lastEventId, [EnumeratorCancellation] CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, sampler.Stopping);
        var token = linked.Token;
        TimeSpan? retry = sampler.Options.ReconnectDelay;
        var sent = ResumeFrom(lastEventId, sampler.Instance);
        while (!token.IsCancellationRequested)
        {
            var state = sampler.Current;
            var missed = sent is { } after ? sampler.PointsAfter(after) : null;
            SseItem<string>? item = null;
            if (missed is null)
            {
                // A new connection, or the missed points are gone: start over.
                item = Item(state with { Series = UpTo(sampler.AllPoints(), state.Sequence) }, SnapshotEvent, retry);
            }
            else if (sent < state.Sequence)
            {
                item = Item(state with { Series = UpTo(missed, state.Sequence) }, UpdateEvent, retry);
            }

            if (item is { } ready)
            {
                retry = null;
                yield return ready;
            }

            sent = state.Sequence;
            if (!await WaitAsync(sampler, state.Sequence, token).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    /// <summary>Drops points newer than the state they go with (a tick may land between reading the two).</summary>
    internal static IReadOnlyList<DashboardPoint> UpTo(IReadOnlyList<DashboardPoint> points, long sequence) =>
        points.Count == 0 || points[^1].Sequence <= sequence ? points : [.. points.Where(p => p.Sequence <= sequence)];

    private static SseItem<string> Item(DashboardSnapshot snapshot, string eventType, TimeSpan? retry) =>
        new(JsonSerializer.Serialize(snapshot, DashboardJsonContext.Default.DashboardSnapshot), eventType)
        {
            EventId = EventId(snapshot.Instance, snapshot.Sequence),
            ReconnectionInterval = retry,
        };

    private static async Task<bool> WaitAsync(DashboardSampler sampler, long sequence, CancellationToken token)
    {
        try
        {
            await sampler.WaitForTickAfterAsync(sequence, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
