using System.Threading.Channels;

namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>Open customer sessions, by customer id; removed sessions are disposed.</summary>
internal static class SessionRegistry
{
    private const int MaxSessions = 1_000;
    private static readonly Dictionary<string, StreamWriter> Sessions = new();

    public static int Count => Sessions.Count;

    public static void Open(string customerId)
    {
        if (Sessions.ContainsKey(customerId) || Sessions.Count >= MaxSessions)
        {
            return;
        }

        var writer = new StreamWriter(Stream.Null);
        Sessions.Add(customerId, writer);
    }

    public static void Close(string customerId)
    {
        if (Sessions.Remove(customerId, out var writer))
        {
            writer.Dispose();
        }
    }

    public static void CloseAll()
    {
        foreach (var writer in Sessions.Values)
        {
            writer.Dispose();
        }

        Sessions.Clear();
    }
}

/// <summary>Background jobs with a bounded backlog: the oldest job is dropped when producers outrun the worker.</summary>
internal static class WorkQueue
{
    private static readonly Channel<string> Jobs = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public static int Count => Jobs.Reader.Count;

    public static void Enqueue(string job) => Jobs.Writer.TryWrite(job);
}
