namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>An in-memory audit trail that keeps only the most recent entries.</summary>
internal static class AuditLog
{
    private const int Capacity = 1_000;
    private static readonly Queue<string> Entries = new(Capacity);
    private static readonly Lock Gate = new();

    public static int Count
    {
        get
        {
            lock (Gate)
            {
                return Entries.Count;
            }
        }
    }

    public static void Record(string message)
    {
        lock (Gate)
        {
            if (Entries.Count == Capacity)
            {
                Entries.Dequeue();
            }

            Entries.Enqueue($"{Environment.TickCount64}: {message}");
        }
    }
}
