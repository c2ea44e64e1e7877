using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;

namespace GopiAI.Toolkit.SemanticMemory.VectorData;

/// <summary>
/// One collection of a <see cref="SemanticMemoryVectorStore"/>: the documents of the memory's conversation named
/// <see cref="Name"/>, keyed by <c>{name}:{key}</c>. Upsert stores (the memory embeds the text; storing the same record
/// again is a no-op, a changed one replaces it), get and delete work by key, <see cref="SearchAsync{TInput}"/> is the
/// memory's dense search and <see cref="HybridSearchAsync{TInput}"/> its dense + keyword fusion, with filters on role,
/// timestamp and metadata (<c>&amp;&amp;</c> of <c>==</c>, <c>&gt;=</c>, <c>&lt;</c>).
/// </summary>
public sealed class SemanticMemoryCollection : VectorStoreCollection<string, MemoryRecord>, IKeywordHybridSearchable<MemoryRecord>
{
    /// <summary>The <see cref="VectorStoreMetadata.VectorStoreSystemName"/> reported.</summary>
    public const string SystemName = "gopiai.semantic-memory";

    private readonly SemanticMemoryManager _memory;

    /// <summary>Creates the collection <paramref name="name"/> over <paramref name="memory"/>.</summary>
    /// <param name="memory">The open memory (not disposed by the collection).</param>
    /// <param name="name">The collection name: the conversation id its records are stored under; not blank.</param>
    public SemanticMemoryCollection(SemanticMemoryManager memory, string name)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _memory = memory;
        Name = name;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>Whether the collection holds at least one record.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True when it holds records.</returns>
    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        (await _memory.SearchMemoryAsync(Name, 1, new SearchOptions { Mode = SearchMode.Dense, ConversationId = Name, SimilarityThreshold = -1 }, cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary>Nothing to create: a collection is a namespace of the memory, which exists once opened.</summary>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Deletes every record of the collection (one transaction).</summary>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        _memory.DeleteConversationAsync(Name, cancellationToken);

    /// <summary>The record stored under <paramref name="key"/>, or null.</summary>
    /// <param name="key">The key.</param>
    /// <param name="options">Vectors cannot be included (the memory keeps them internal).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null.</returns>
    /// <exception cref="NotSupportedException"><see cref="RecordRetrievalOptions.IncludeVectors"/> is true.</exception>
    public override async Task<MemoryRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ThrowIfVectorsAsked(options?.IncludeVectors == true);
        var document = await _memory.GetDocumentAsync(StoredId(key), cancellationToken).ConfigureAwait(false);
        return document is null || document.ConversationId != Name ? null : ToRecord(document.Id!, document.Content, document.Role, document.Source, document.Timestamp, document.Metadata);
    }

    /// <summary>The records stored under <paramref name="keys"/> (missing ones left out), in key order.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="options">Vectors cannot be included.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The records found.</returns>
    public override async IAsyncEnumerable<MemoryRecord> GetAsync(IEnumerable<string> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (await GetAsync(key, options, cancellationToken).ConfigureAwait(false) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="top"/> records that pass <paramref name="filter"/>, in no particular order
    /// (<see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/> is not supported).
    /// </summary>
    /// <param name="filter">Conditions on <see cref="MemoryRecord.Role"/>, <see cref="MemoryRecord.Timestamp"/>, <see cref="MemoryRecord.Metadata"/>.</param>
    /// <param name="top">Most records.</param>
    /// <param name="options">Skip is honoured; ordering and vectors are not supported.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records.</returns>
    /// <exception cref="NotSupportedException">The filter uses something the memory cannot filter on, or ordering or vectors were asked for.</exception>
    public override async IAsyncEnumerable<MemoryRecord> GetAsync(
        Expression<Func<MemoryRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<MemoryRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        ThrowIfVectorsAsked(options?.IncludeVectors == true);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException("The GopiAI memory returns filtered records in no particular order; OrderBy is not supported.");
        }

        var skip = options?.Skip ?? 0;
        // A dense search with no threshold passes every record of the collection: the filter decides.
        var search = FilterTranslator.Apply(filter, Options(SearchMode.Dense) with { SimilarityThreshold = -1 });
        foreach (var result in (await _memory.SearchMemoryAsync(Name, top + skip, search, cancellationToken).ConfigureAwait(false)).Skip(skip))
        {
            yield return ToRecord(result);
        }
    }

    /// <summary>Deletes the record stored under <paramref name="key"/> (nothing happens when there is none).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>A task that completes when it is gone.</returns>
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return _memory.DeleteAsync(StoredId(key), cancellationToken);
    }

    /// <summary>Deletes the records stored under <paramref name="keys"/>.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels between deletes.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public override async Task DeleteAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            await DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores (or replaces) one record; the memory embeds its content. Storing an identical record again changes nothing.</summary>
    /// <param name="record">The record; its key and content must not be blank.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public override Task UpsertAsync(MemoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>Stores (or replaces) records in batches, each one transaction; the memory embeds their content.</summary>
    /// <param name="records">The records; keys and contents must not be blank.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>A task that completes when they are stored.</returns>
    /// <exception cref="ArgumentException">A key or a content is blank, or a text is not valid UTF-16.</exception>
    public override Task UpsertAsync(IEnumerable<MemoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var documents = records.Select((record, i) =>
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (string.IsNullOrWhiteSpace(record.Key))
            {
                throw new ArgumentException($"Record {i} has no key.", nameof(records));
            }

            return new MemoryDocument
            {
                Id = StoredId(record.Key),
                Content = record.Content,
                ConversationId = Name,
                Role = record.Role,
                Source = record.Source,
                Timestamp = record.Timestamp,
                Metadata = record.Metadata,
            };
        }).ToList();
        return _memory.StoreDocumentsAsync(documents, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Dense search: the records whose meaning is closest to <paramref name="searchValue"/> (a string, embedded by the
    /// memory), best first, with <see cref="VectorSearchResult{TRecord}.Score"/> the cosine similarity.
    /// </summary>
    /// <typeparam name="TInput">Must be <see cref="string"/>.</typeparam>
    /// <param name="searchValue">The text to look for.</param>
    /// <param name="top">Most results.</param>
    /// <param name="options">Filter, skip and score threshold (a minimum cosine similarity).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The results.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="TInput"/> is not a string (the memory embeds text itself), or the filter cannot be translated.</exception>
    public override async IAsyncEnumerable<VectorSearchResult<MemoryRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<MemoryRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = Text(searchValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        options ??= new VectorSearchOptions<MemoryRecord>();
        ThrowIfVectorsAsked(options.IncludeVectors);
        var search = Options(SearchMode.Dense) with { SimilarityThreshold = options.ScoreThreshold is { } minimum ? (float)minimum : -1 };
        if (options.Filter is not null)
        {
            search = FilterTranslator.Apply(options.Filter, search);
        }

        foreach (var result in (await _memory.SearchMemoryAsync(text, top + options.Skip, search, cancellationToken).ConfigureAwait(false)).Skip(options.Skip))
        {
            yield return new VectorSearchResult<MemoryRecord>(ToRecord(result), result.Similarity);
        }
    }

    /// <summary>
    /// Hybrid search: the memory's dense leg on <paramref name="searchValue"/> and its keyword leg on
    /// <paramref name="keywords"/> (and the search text), fused by reciprocal rank; <see cref="VectorSearchResult{TRecord}.Score"/> is the fused score.
    /// </summary>
    /// <typeparam name="TInput">Must be <see cref="string"/>.</typeparam>
    /// <param name="searchValue">The text to look for.</param>
    /// <param name="keywords">Words that must weigh as keywords (added to the text's own words).</param>
    /// <param name="top">Most results.</param>
    /// <param name="options">Filter, skip and score threshold (a minimum cosine similarity for the dense leg).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The results.</returns>
    public async IAsyncEnumerable<VectorSearchResult<MemoryRecord>> HybridSearchAsync<TInput>(
        TInput searchValue,
        ICollection<string> keywords,
        int top,
        HybridSearchOptions<MemoryRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        var text = Text(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        options ??= new HybridSearchOptions<MemoryRecord>();
        ThrowIfVectorsAsked(options.IncludeVectors);
        var extra = keywords.Where(k => !string.IsNullOrWhiteSpace(k) && !text.Contains(k, StringComparison.OrdinalIgnoreCase));
        var query = string.Join(' ', extra.Prepend(text));
        var search = Options(SearchMode.Hybrid) with { SimilarityThreshold = options.ScoreThreshold is { } minimum ? (float)minimum : null };
        if (options.Filter is not null)
        {
            search = FilterTranslator.Apply(options.Filter, search);
        }

        foreach (var result in (await _memory.SearchMemoryAsync(query, top + options.Skip, search, cancellationToken).ConfigureAwait(false)).Skip(options.Skip))
        {
            yield return new VectorSearchResult<MemoryRecord>(ToRecord(result), result.Score);
        }
    }

    /// <summary>Returns the memory, <see cref="VectorStoreCollectionMetadata"/> or this collection when asked for them.</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">Not used.</param>
    /// <returns>The service, or null.</returns>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(SemanticMemoryManager) ? _memory
            : serviceType == typeof(VectorStoreCollectionMetadata) ? new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, CollectionName = Name }
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private SearchOptions Options(SearchMode mode) => new() { Mode = mode, ConversationId = Name };

    private string StoredId(string key) => Name + ":" + key;

    private MemoryRecord ToRecord(MemoryResult result) =>
        ToRecord(result.ParentId ?? result.Id, result.Content, result.Role, result.Source, result.Timestamp, result.Metadata);

    private MemoryRecord ToRecord(string id, string content, string? role, string? source, DateTimeOffset? timestamp, IReadOnlyDictionary<string, string>? metadata) => new()
    {
        Key = id.StartsWith(Name + ":", StringComparison.Ordinal) ? id[(Name.Length + 1)..] : id,
        Content = content,
        Role = role,
        Source = source is { } s && !s.StartsWith("conversation:", StringComparison.Ordinal) ? s : null,
        Timestamp = timestamp,
        Metadata = metadata is null ? new(StringComparer.Ordinal) : new(metadata, StringComparer.Ordinal),
    };

    private static string Text<TInput>(TInput searchValue) => searchValue switch
    {
        string text when !string.IsNullOrWhiteSpace(text) => text,
        string => throw new ArgumentException("The search text is blank.", nameof(searchValue)),
        null => throw new ArgumentNullException(nameof(searchValue)),
        _ => throw new NotSupportedException($"The GopiAI memory embeds text itself: search with a string, not a {typeof(TInput).Name}."),
    };

    private static void ThrowIfVectorsAsked(bool includeVectors)
    {
        if (includeVectors)
        {
            throw new NotSupportedException("The GopiAI memory keeps its vectors internal; IncludeVectors is not supported.");
        }
    }
}
