using System.Globalization;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// The checks every public entry point makes before any work starts, so that bad input gets an exception naming the
/// argument (and the document, field and position) instead of a failure deep inside the tokenizer, SQLite or the cache.
/// </summary>
internal static class InputValidator
{
    public static void Config(MemoryConfig config)
    {
        if (!Enum.IsDefined(config.Provider))
        {
            throw new ArgumentException($"Unknown memory provider {config.Provider}.", "config.Provider");
        }

        if (config.Provider == MemoryProvider.Postgres)
        {
            _ = Storage.Postgres.PostgresLocation.From(config);
        }
        else
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(config.IndexPath, "config.IndexPath");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(config.EmbeddingModel, "config.EmbeddingModel");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.MaxDocuments, "config.MaxDocuments");
        if (!Enum.IsDefined(config.Retention))
        {
            throw new ArgumentException($"Unknown retention policy {config.Retention}.", "config.Retention");
        }

        if (config.BatchSize is < 1 or > MemoryConfig.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException("config.BatchSize", config.BatchSize,
                string.Create(CultureInfo.InvariantCulture, $"BatchSize must be between 1 and {MemoryConfig.MaxBatchSize:N0} (MemoryConfig.MaxBatchSize)."));
        }

        if (!(config.SimilarityThreshold is >= -1f and <= 1f))
        {
            throw new ArgumentOutOfRangeException("config.SimilarityThreshold", config.SimilarityThreshold, "SimilarityThreshold must be a number between -1 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(config.ChunkTokens, 16, "config.ChunkTokens");
        ArgumentOutOfRangeException.ThrowIfNegative(config.ChunkOverlapTokens, "config.ChunkOverlapTokens");
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(config.ChunkOverlapTokens, config.ChunkTokens, "config.ChunkOverlapTokens");
        if (config.ContextTurnsBefore is < 0 or > MemoryConfig.MaxContextTurns || config.ContextTurnsAfter is < 0 or > MemoryConfig.MaxContextTurns)
        {
            var (name, value) = config.ContextTurnsBefore is < 0 or > MemoryConfig.MaxContextTurns
                ? ("config.ContextTurnsBefore", config.ContextTurnsBefore)
                : ("config.ContextTurnsAfter", config.ContextTurnsAfter);
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"ContextTurnsBefore and ContextTurnsAfter must be between 0 and {MemoryConfig.MaxContextTurns} (MemoryConfig.MaxContextTurns)."));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(config.HnswThreshold, "config.HnswThreshold");
        ArgumentOutOfRangeException.ThrowIfNegative(config.ResultCacheSize, "config.ResultCacheSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(config.BusyTimeout, TimeSpan.Zero, "config.BusyTimeout");
        ArgumentNullException.ThrowIfNull(config.TimeProvider, "config.TimeProvider");
        if (!Enum.IsDefined(config.Provider))
        {
            throw new ArgumentException($"Unknown memory provider {config.Provider}.", "config.Provider");
        }

        if (config.Provider == MemoryProvider.Postgres && string.IsNullOrWhiteSpace(config.ConnectionString))
        {
            throw new ArgumentException("MemoryConfig.ConnectionString is required when MemoryConfig.Provider is Postgres (an Npgsql connection string).", "config.ConnectionString");
        }

        if (!Enum.IsDefined(config.DefaultSearchMode))
        {
            throw new ArgumentException($"Unknown search mode {config.DefaultSearchMode}.", "config.DefaultSearchMode");
        }
    }

    /// <summary>A search or context query: not blank, at most <see cref="SemanticMemoryManager.MaxQueryLength"/> characters, valid UTF-16.</summary>
    public static void Query(string query)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (query.Length > SemanticMemoryManager.MaxQueryLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The query is {query.Length:N0} characters long; the limit is {SemanticMemoryManager.MaxQueryLength:N0} (SemanticMemoryManager.MaxQueryLength). Shorten it: the model reads only its first 256 word pieces anyway."),
                nameof(query));
        }

        Text(query, nameof(query), "The query");
    }

    public static void Options(SearchOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentException($"Unknown search mode {options.Mode}.", nameof(options));
        }

        if (options.RecencyHalfLife is { } halfLife && halfLife <= TimeSpan.Zero)
        {
            throw new ArgumentException("RecencyHalfLife must be positive.", nameof(options));
        }

        if (!(options.RecencyWeight is >= 0 and <= 1))
        {
            throw new ArgumentException("RecencyWeight must be a number between 0 and 1.", nameof(options));
        }

        if (options.SimilarityThreshold is { } threshold && !(threshold is >= -1f and <= 1f))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"SimilarityThreshold must be a number between -1 and 1 (got {threshold})."), nameof(options));
        }

        if (options.From is { } from && options.To is { } to && to < from)
        {
            throw new ArgumentException("To is before From.", nameof(options));
        }

        if (options.Metadata is { Count: > 0 } metadata)
        {
            if (metadata.Count > SemanticMemoryManager.MaxFilterKeys)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"SearchOptions.Metadata has {metadata.Count} keys; the limit is {SemanticMemoryManager.MaxFilterKeys} (SemanticMemoryManager.MaxFilterKeys)."),
                    nameof(options));
            }

            foreach (var (key, value) in metadata)
            {
                if (key is null || value is null)
                {
                    throw new ArgumentException($"SearchOptions.Metadata['{key}'] is null; metadata filters compare strings, so give a value (use \"\" for an empty one).", nameof(options));
                }
            }
        }
    }

    /// <summary>Every text of a document that reaches the tokenizer or the file must be valid UTF-16.</summary>
    public static void Document(MemoryDocument document, string label, string paramName)
    {
        if (string.IsNullOrWhiteSpace(document.Content))
        {
            throw new ArgumentException($"{label} has no content (null, empty or white space).", paramName);
        }

        if (document.Content.Length > SemanticMemoryManager.MaxDocumentLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{label}'s content is {document.Content.Length:N0} characters long; the limit is {SemanticMemoryManager.MaxDocumentLength:N0} (SemanticMemoryManager.MaxDocumentLength). Split it into several documents."),
                paramName);
        }

        Text(document.Content, paramName, $"{label}'s content");
        Text(document.Id, paramName, $"{label}'s id");
        Text(document.ConversationId, paramName, $"{label}'s conversation id");
        Text(document.Role, paramName, $"{label}'s role");
        Text(document.Source, paramName, $"{label}'s source");
        if (document.Metadata is { Count: > 0 } metadata)
        {
            if (metadata.Count > SemanticMemoryManager.MaxMetadataEntries)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{label} has {metadata.Count} metadata entries; the limit is {SemanticMemoryManager.MaxMetadataEntries} (SemanticMemoryManager.MaxMetadataEntries)."),
                    paramName);
            }

            var length = 0L;
            foreach (var (key, value) in metadata)
            {
                length += (key?.Length ?? 0) + (value?.Length ?? 0);
            }

            if (length > SemanticMemoryManager.MaxMetadataLength)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{label}'s metadata is {length:N0} characters long (keys and values); the limit is {SemanticMemoryManager.MaxMetadataLength:N0} (SemanticMemoryManager.MaxMetadataLength)."),
                    paramName);
            }

            foreach (var (key, value) in metadata)
            {
                Text(key, paramName, $"{label}'s metadata key '{key}'");
                Text(value, paramName, $"{label}'s metadata '{key}'");
            }
        }
    }

    /// <summary>Throws when <paramref name="text"/> holds a lone UTF-16 surrogate (half of a pair), naming where.</summary>
    public static void Text(string? text, string paramName, string what)
    {
        if (text is not null && IndexOfLoneSurrogate(text) is var index and >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{what} holds a lone UTF-16 surrogate (U+{(int)text[index]:X4}) at index {index}: half of a character pair, which is not valid text. Remove it or fix the encoding."),
                paramName);
        }
    }

    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (found < 0)
            {
                return -1;
            }

            var index = offset + found;
            if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                offset = index + 2;
                continue;
            }

            return index;
        }
    }
}
