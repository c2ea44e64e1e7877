using System.Threading.Channels;

namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>Open customer sessions, by customer id.</summary>
internal static class SessionRegistry
{
    private static readonly Dictionary<string, StreamWriter> Sessions = new(); // expect: GOPI2004

    public static int Count => Sessions.Count;

    public static void Open(string customerId)
    {
        if (!Sessions.ContainsKey(customerId))
        {
            Sessions.Add(customerId, new StreamWriter(Stream.Null));
        }
    }

    // Removes the entries but never disposes the writers they held.
    public static void Close(string customerId) => Sessions.Remove(customerId); // expect: GOPI2004

    internal static void CloseAllForDemo() => Sessions.Clear(); // expect: GOPI2004
}

/// <summary>Background jobs waiting for a worker that may never come.</summary>
internal static class WorkQueue
{
    private static readonly Channel<string> Jobs = Channel.CreateUnbounded<string>(); // expect: GOPI2005

    public static int Count => Jobs.Reader.Count;

    public static void Enqueue(string job) => Jobs.Writer.TryWrite(job);
}
