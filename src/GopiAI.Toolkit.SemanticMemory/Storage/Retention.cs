using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// A store's <see cref="MemoryConfig.Retention"/>: how many documents a batch must evict (or why it is refused), the
/// retrievals noted for <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>, and the metric and log line of each
/// batch that evicted. Shared by every provider; the provider chooses and deletes the documents in the batch's transaction.
/// </summary>
internal sealed partial class Retention : IDisposable
{
    /// <summary>The logger category of the memory.</summary>
    public const string LoggerCategory = "GopiAI.Toolkit.SemanticMemory";

    private readonly MemoryConfig _config;
    private readonly string _location;
    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _evictions;

    public Retention(MemoryConfig config, string location)
    {
        _config = config;
        _location = location;
        Logger = config.LoggerFactory?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
        var meter = config.MeterFactory?.Create(ToolkitInfo.SemanticMemoryMeterName, ToolkitInfo.Version)
            ?? (_ownedMeter = new Meter(ToolkitInfo.SemanticMemoryMeterName, ToolkitInfo.Version));
        // The instrument's name is spelled here, where docs/observability.md's test finds it.
        _evictions = meter.CreateCounter<long>("gopi.semantic_memory.evictions", "{document}", "Documents deleted to keep a memory within MemoryConfig.MaxDocuments, by retention policy.");
        Retrievals = config.Retention == MemoryRetention.EvictLeastRecentlyRetrieved ? new RetrievalLog(config.TimeProvider) : null;
    }

    /// <summary>The policy.</summary>
    public MemoryRetention Policy => _config.Retention;

    /// <summary>The retrievals noted for <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>; null for the other policies.</summary>
    public RetrievalLog? Retrievals { get; }

    /// <summary>The memory's logger (never null).</summary>
    public ILogger Logger { get; }

    /// <summary>Now, in Unix milliseconds (the stored documents' first retrieval time).</summary>
    public long NowMs => _config.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// How many documents stored before the batch must be evicted now that the store holds <paramref name="count"/>
    /// documents, <paramref name="kept"/> of them written or matched by the batch (those are never evicted).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The limit is passed and the policy is <see cref="MemoryRetention.Reject"/>, or the batch alone holds more than
    /// <see cref="MemoryConfig.MaxDocuments"/> documents; the caller rolls the batch back.
    /// </exception>
    public int Excess(long count, int kept)
    {
        var max = _config.MaxDocuments;
        if (count <= max)
        {
            return 0;
        }

        if (Policy == MemoryRetention.Reject)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Storing this batch would hold {count} documents, more than MemoryConfig.MaxDocuments ({max}). Delete documents, raise the limit or let older documents be evicted (MemoryConfig.Retention); nothing of the batch was stored."));
        }

        if (kept > max)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"This batch holds {kept} documents, more than MemoryConfig.MaxDocuments ({max}) on its own, so evicting older documents cannot make room for it. Store it in smaller batches or raise the limit; nothing of the batch was stored."));
        }

        return (int)(count - max);
    }

    /// <summary>After the batch that evicted <paramref name="count"/> documents committed: the metric and one log line.</summary>
    public void Evicted(int count)
    {
        if (count <= 0)
        {
            return;
        }

        var reason = Policy == MemoryRetention.EvictOldest ? "oldest" : "least_recently_retrieved";
        _evictions.Add(count, new KeyValuePair<string, object?>("reason", reason));
        LogEvicted(Logger, count, reason, _location, _config.MaxDocuments);
    }

    /// <summary>A background write of retrieval times failed: they are kept for the next try, and the failure is logged.</summary>
    public void RetrievalsNotWritten(Exception error) => LogRetrievalsNotWritten(Logger, _location, error);

    public void Dispose() => _ownedMeter?.Dispose();

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Evicted {Count} documents ({Reason}) from {Location} to stay within MaxDocuments = {MaxDocuments}.")]
    private static partial void LogEvicted(ILogger logger, int count, string reason, string location, int maxDocuments);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Could not write retrieval times to {Location}; they are kept and written with the next batch.")]
    private static partial void LogRetrievalsNotWritten(ILogger logger, string location, Exception error);
}
