using GopiAI.Toolkit;

namespace GopiAI.Toolkit.Redis.Host;

/// <summary>How a profile was classified (an enum inside a cached record).</summary>
public enum Tier
{
    /// <summary>Free.</summary>
    Free,

    /// <summary>Paid.</summary>
    Paid,
}

/// <summary>A record with a collection, a dictionary, nullable values and an enum: what a real cached result looks like.</summary>
public sealed record Profile(int Id, string Name, IReadOnlyList<string> Roles, Dictionary<string, double> Scores, int? Age, DateTimeOffset? Seen, Tier Tier)
{
    /// <summary>A settable property outside the constructor.</summary>
    public string? Note { get; set; }

    /// <summary>A canonical text of every field, so that two processes can compare what they hold.</summary>
    public string Describe() =>
        $"{Id};{Name};[{string.Join(",", Roles)}];{{{string.Join(",", Scores.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))}}};" +
        $"{Age?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"};{Seen?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "null"};{Tier};{Note ?? "null"}";
}

/// <summary>The distributed methods both instances share.</summary>
public static partial class Catalog
{
    private static int s_profileRuns;
    private static int s_numberRuns;
    private static int s_describeRuns;
    private static int s_secretRuns;

    /// <summary>Gets how often the methods' bodies ran in this process.</summary>
    public static string Runs => $"profile={Volatile.Read(ref s_profileRuns)} numbers={Volatile.Read(ref s_numberRuns)} describe={Volatile.Read(ref s_describeRuns)} secret={Volatile.Read(ref s_secretRuns)}";

    /// <summary>A profile, tagged by user.</summary>
    [Cached(300, Distributed = true, Tags = new[] { "profiles", "user:{id}" })]
    public static partial ValueTask<Profile> GetProfileAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>A list of nullable numbers keyed by a string.</summary>
    [Cached(300, Distributed = true)]
    public static partial Task<List<int?>> GetNumbersAsync(string prefix);

    /// <summary>A synchronous method with a nullable result (null cached too).</summary>
    [Cached(300, Distributed = true, CacheNull = true)]
    public static partial string? Describe(int id);

    /// <summary>A sensitive value: encrypted in Redis.</summary>
    [Cached(300, Distributed = true, Sensitive = true)]
    public static partial Task<string> GetSecretAsync(int id);

    private static ValueTask<Profile> GetProfileAsyncCore(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_profileRuns);
        var profile = new Profile(
            id,
            "user-" + id,
            id % 2 == 0 ? ["admin", "editor"] : ["reader"],
            new Dictionary<string, double> { ["p50"] = id * 1.5, ["p99"] = id * 10.25 },
            id % 3 == 0 ? null : 20 + id,
            id % 2 == 0 ? new DateTimeOffset(2026, 12, 3, 10, 0, id % 60, TimeSpan.FromHours(1)) : null,
            id % 2 == 0 ? Tier.Paid : Tier.Free)
        {
            Note = id % 4 == 0 ? null : "note " + id,
        };
        return new ValueTask<Profile>(profile);
    }

    private static Task<List<int?>> GetNumbersAsyncCore(string prefix)
    {
        Interlocked.Increment(ref s_numberRuns);
        return Task.FromResult(new List<int?> { prefix.Length, null, -prefix.Length });
    }

    private static string? DescribeCore(int id)
    {
        Interlocked.Increment(ref s_describeRuns);
        return id < 0 ? null : "described " + id;
    }

    private static Task<string> GetSecretAsyncCore(int id)
    {
        Interlocked.Increment(ref s_secretRuns);
        return Task.FromResult("TOPSECRET-" + id);
    }
}
