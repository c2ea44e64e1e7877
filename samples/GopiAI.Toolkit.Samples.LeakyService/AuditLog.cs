namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>An in-memory audit trail kept "for debugging".</summary>
internal static class AuditLog
{
    // Every entry stays for the life of the process: nothing removes, trims or caps it.
    private static readonly List<string> Entries = new(); // expect: GOPI2001

    public static int Count => Entries.Count;

    public static void Record(string message) => Entries.Add($"{Environment.TickCount64}: {message}");
}
