using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Dense (exact SIMD scan, or HNSW above the threshold), keyword (FTS5 BM25) and hybrid (RRF, k = 60) search over a
/// <see cref="MemoryStore"/>, with the vector matrix loaded lazily and kept in sync by the store's commit callbacks,
/// and a result cache (the runtime's <see cref="LruCache{TKey, TValue}"/>) emptied on every write.
/// </summary>
internal sealed class SearchEngine : IDisposable
{
    public const int RrfK = 60;

    private readonly MemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly MemoryConfig _config;
    private readonly int? _modelMaxTokens; // the bundled model's truncation, when it is the generator (DenseQuery)
    private readonly LruCache<ResultCacheKey, IReadOnlyList<MemoryResult>>? _cache;
    private readonly ReaderWriterLockSlim _hnswLock = new(LockRecursionPolicy.NoRecursion);
    private readonly object _gate = new();
    private VectorIndex? _index;
    private Task<VectorIndex>? _loading;
    private HnswIndex? _hnsw;
    private long _generation;
    private long _lastExternalCheck;
    private readonly SemaphoreSlim _buildLock = new(1, 1);
    private int _resets; // restores and external rewrites so far (written on the writer thread only, read by searches)
    private List<VectorChange>? _hnswLog; // commits made while an HNSW build runs (touched on the writer thread only)

    public SearchEngine(MemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator, MemoryConfig config)
    {
        _store = store;
        _generator = generator;
        _config = config;
        _modelMaxTokens = (generator as OnnxEmbeddingGenerator ?? generator.GetService(typeof(OnnxEmbeddingGenerator)) as OnnxEmbeddingGenerator)?.MaxTokens;
        if (config.ResultCacheSize > 0)
        {
            _cache = new LruCache<ResultCacheKey, IReadOnlyList<MemoryResult>>(new LruCacheOptions { Name = "GopiAI.SemanticMemory.Results", MaxSize = config.ResultCacheSize });
        }

        store.VectorsChanged = OnVectorsChanged;
        store.Reset = OnReset;
    }

    public bool HnswActive => Volatile.Read(ref _hnsw) is not null;

    /// <summary>Why the HNSW index could not be built here (native library missing), if it could not.</summary>
    public string? HnswFailure { get; private set; }

    /// <summary>Called after every committed write (including from the manager, for writes without vector changes).</summary>
    public void OnWrite()
    {
        Interlocked.Increment(ref _generation);
        _cache?.Clear();
    }

    public async Task<IReadOnlyList<MemoryResult>> SearchAsync(string query, int limit, SearchOptions options, CancellationToken cancellationToken)
    {
        // A restore (or another process rewriting the file) between ranking and reading the rows would pair the old
        // content's row ids with the new content's rows: search again on the new content instead.
        for (var attempt = 1; ; attempt++)
        {
            var resets = Volatile.Read(ref _resets);
            var results = await SearchOnceAsync(query, limit, options, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _resets) == resets || attempt == 3)
            {
                return results;
            }
        }
    }

    private async Task<IReadOnlyList<MemoryResult>> SearchOnceAsync(string query, int limit, SearchOptions options, CancellationToken cancellationToken)
    {
        // Another process may have written to the file; look at most every 250 ms (a cheap PRAGMA on the writer thread).
        var tick = Environment.TickCount64;
        if (tick - Interlocked.Read(ref _lastExternalCheck) > 250)
        {
            Interlocked.Exchange(ref _lastExternalCheck, tick);
            await _store.CheckExternalChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var threshold = options.SimilarityThreshold ?? _config.SimilarityThreshold;
        var generation = Volatile.Read(ref _generation);
        var cacheKey = _cache is not null && options.RecencyHalfLife is null ? ResultCacheKey.Create(generation, query, limit, threshold, options) : null;
        if (cacheKey is not null && _cache!.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        // Over-fetch before fusion and re-weighting; never more rows than the store can hold.
        var cap = Math.Max(_config.MaxDocuments, 1) * 2L;
        var fetch = (int)Math.Min(options.Mode == SearchMode.Hybrid || options.RecencyHalfLife is not null ? Math.Max(limit * 4L, 50) : limit, cap);
        var allowed = MemoryStore.HasFilters(options) ? await _store.FilterAsync(options, cancellationToken).ConfigureAwait(false) : null;

        float[]? queryVector = null;
        VectorIndex? index = null;
        List<(long RowId, float Score)> dense = [];
        List<(long RowId, double Bm25)> keyword = [];
        if (options.Mode != SearchMode.Keyword)
        {
            var embedding = await _generator.GenerateAsync([DenseQuery.Text(query, _modelMaxTokens)], cancellationToken: cancellationToken).ConfigureAwait(false);
            queryVector = VectorMath.Normalized(embedding[0].Vector.Span);
            index = await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
            dense = Dense(index, queryVector, fetch, threshold, allowed);

            // Stored vectors are validated as unit length within a tolerance (int8 rounding): a cosine is never reported above 1.
            for (var i = 0; i < dense.Count; i++)
            {
                dense[i] = (dense[i].RowId, Math.Clamp(dense[i].Score, -1f, 1f));
            }
        }

        if (options.Mode != SearchMode.Dense && KeywordQuery.Words(query) is { Count: > 0 } words)
        {
            keyword = await _store.KeywordSearchAsync(words, fetch, options, cancellationToken).ConfigureAwait(false);
        }

        var scores = new Dictionary<long, double>();
        var similarities = new Dictionary<long, float>();
        foreach (var (rowId, score) in dense)
        {
            similarities[rowId] = score;
        }

        switch (options.Mode)
        {
            case SearchMode.Dense:
                foreach (var (rowId, score) in dense)
                {
                    scores[rowId] = score;
                }

                break;
            case SearchMode.Keyword:
                foreach (var (rowId, bm25) in keyword)
                {
                    scores[rowId] = -bm25;
                }

                break;
            default:
                for (var rank = 0; rank < dense.Count; rank++)
                {
                    scores[dense[rank].RowId] = 1.0 / (RrfK + rank + 1);
                }

                for (var rank = 0; rank < keyword.Count; rank++)
                {
                    scores[keyword[rank].RowId] = scores.GetValueOrDefault(keyword[rank].RowId) + (1.0 / (RrfK + rank + 1));
                }

                break;
        }

        var rows = await _store.GetRowsAsync(scores.Keys, cancellationToken).ConfigureAwait(false);
        var now = _config.TimeProvider.GetUtcNow();
        var results = new List<MemoryResult>(rows.Count);
        foreach (var (rowId, baseScore) in scores)
        {
            if (!rows.TryGetValue(rowId, out var row))
            {
                continue; // deleted between the ranking and the fetch
            }

            if (!RowValidator.TryParseMetadata(row.MetadataJson, out var metadata))
            {
                continue; // a damaged row is left out (GetStatsAsync reports it)
            }

            var score = baseScore;
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(row.TimestampMs);
            if (options.RecencyHalfLife is { } halfLife)
            {
                var age = Math.Max(0, (now - timestamp).TotalSeconds);
                var decay = Math.Pow(0.5, age / halfLife.TotalSeconds);
                score *= 1 - options.RecencyWeight + (options.RecencyWeight * decay);
            }

            float? similarity = similarities.TryGetValue(rowId, out var s) ? s : queryVector is not null && index?.Similarity(queryVector, rowId) is { } cosine ? Math.Clamp(cosine, -1f, 1f) : null;
            results.Add(new MemoryResult
            {
                Id = row.Id,
                Content = row.Content,
                Score = score,
                Similarity = similarity,
                Metadata = metadata,
                Timestamp = timestamp,
                ConversationId = row.ConversationId,
                Role = row.Role,
                Source = row.Source ?? (row.ConversationId is not null ? $"conversation:{row.ConversationId}" : $"memory:{row.ParentId ?? row.Id}"),
                ParentId = row.ParentId,
            });
        }

        results.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        IReadOnlyList<MemoryResult> final = results.Count > limit ? results.GetRange(0, limit) : results;
        if (cacheKey is not null && Volatile.Read(ref _generation) == generation)
        {
            _cache!.Set(cacheKey, final);
        }

        return final;
    }

    /// <summary>Reloads the matrix from SQLite and rebuilds (or drops) the HNSW index; writes go on meanwhile.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _loading = null;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        if (!_buildLock.Wait(0))
        {
            // A background build is running; with the commits made meanwhile replayed, its result is as fresh as a
            // rebuild would be, so wait for it instead of building twice.
            await _buildLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            _buildLock.Release();
            OnWrite();
            return;
        }

        try
        {
            await BuildHnswAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _buildLock.Release();
        }

        OnWrite();
    }

    private async Task BuildInBackgroundAsync()
    {
        // A build already running (or an explicit rebuild) makes this one unnecessary.
        if (!_buildLock.Wait(0))
        {
            return;
        }

        try
        {
            await BuildHnswAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The memory was closed during the build; the graph is only a cache.
        }
        catch (MemoryStoreException)
        {
            // The file became unusable; the next search reports that.
        }
        finally
        {
            _buildLock.Release();
        }
    }

    /// <summary>
    /// Builds the HNSW graph from a snapshot taken on the writer thread, off that thread, then installs it on the writer
    /// thread after replaying the commits made during the build: writes never wait for the build and none is missed.
    /// </summary>
    private async Task BuildHnswAsync(CancellationToken cancellationToken)
    {
        var resets = 0;
        var snapshot = await _store.RunOnWriterAsync(() =>
        {
            VectorIndex? index;
            lock (_gate)
            {
                index = _index;
            }

            if (index is null || index.Count < Math.Max(1, _config.HnswThreshold))
            {
                ReplaceHnsw(null);
                return default((long[] RowIds, float[][] Vectors)?);
            }

            _hnswLog = [];
            resets = _resets;
            return index.Snapshot();
        }, cancellationToken).ConfigureAwait(false);
        if (snapshot is not { } data)
        {
            return;
        }

        var built = await Task.Run(() => HnswIndex.TryBuild(data.RowIds, data.Vectors, _store.Dimensions, out var failure) is { } h ? (h, (string?)null) : (null, failure), CancellationToken.None).ConfigureAwait(false);
        HnswFailure = built.Item2;
        var installed = false;
        try
        {
            installed = await _store.RunOnWriterAsync(() =>
            {
                if (resets != _resets)
                {
                    // The whole content was replaced (restore) during the build: the graph describes old data.
                    return false;
                }

                if (_hnswLog is { } log && built.Item1 is { } hnsw)
                {
                    hnsw.Apply(log);
                }

                _hnswLog = null;
                ReplaceHnsw(built.Item1);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (!installed)
            {
                built.Item1?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        ReplaceHnsw(null);
        _cache?.Dispose();
        _hnswLock.Dispose();

        // A background HNSW build that is still running releases this lock when it ends, so dispose it only when no
        // build holds it; a SemaphoreSlim owns no OS handle unless AvailableWaitHandle was read, so the GC covers the rest.
        if (_buildLock.Wait(0))
        {
            _buildLock.Dispose();
        }

        lock (_gate)
        {
            _index?.Dispose();
            _index = null;
        }
    }

    private List<(long RowId, float Score)> Dense(VectorIndex index, float[] query, int k, float threshold, HashSet<long>? allowed)
    {
        if (allowed is null && Volatile.Read(ref _hnsw) is not null)
        {
            // Exclusive: the USearch binding does not promise concurrent searches on one index, and a search takes well under 1 ms.
            _hnswLock.EnterWriteLock();
            try
            {
                if (_hnsw is { } hnsw)
                {
                    return hnsw.Search(query, k).Where(hit => hit.Score >= threshold).ToList();
                }
            }
            finally
            {
                _hnswLock.ExitWriteLock();
            }
        }

        return index.Search(query, k, threshold, allowed);
    }

    private Task<VectorIndex> EnsureIndexAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_loading is { IsFaulted: false, IsCanceled: false } loading)
            {
                return loading;
            }

            // Loading runs on the writer thread: it sees exactly the committed state, and every later commit is applied after it.
            _loading = _store.LoadVectorsAsync(rows =>
            {
                var index = new VectorIndex(_store.Dimensions, _config.EnableCompression);
                index.Load(rows);
                lock (_gate)
                {
                    // The replaced index is not disposed: a search that took it before a restore may still be scanning
                    // it (its lock owns no OS handle until contended, and the GC reclaims it once that search ends).
                    _index = index;
                }

                if (index.Count >= Math.Max(1, _config.HnswThreshold) && Volatile.Read(ref _hnsw) is null)
                {
                    // Large store: exact search answers until the HNSW graph is ready in the background.
                    _ = Task.Run(BuildInBackgroundAsync);
                }

                return index;
            }, CancellationToken.None);
            return _loading.WaitAsync(cancellationToken);
        }
    }

    private void OnVectorsChanged(IReadOnlyList<VectorChange> changes)
    {
        VectorIndex? index;
        lock (_gate)
        {
            index = _index;
        }

        index?.Apply(changes);
        _hnswLog?.AddRange(changes);
        if (Volatile.Read(ref _hnsw) is not null)
        {
            _hnswLock.EnterWriteLock();
            try
            {
                _hnsw?.Apply(changes);
            }
            finally
            {
                _hnswLock.ExitWriteLock();
            }
        }

        OnWrite();
    }

    private void OnReset()
    {
        Interlocked.Increment(ref _resets);
        _hnswLog = null;
        lock (_gate)
        {
            _loading = null;
        }

        ReplaceHnsw(null);
        OnWrite();
    }

    private void ReplaceHnsw(HnswIndex? replacement)
    {
        _hnswLock.EnterWriteLock();
        try
        {
            var old = _hnsw;
            Volatile.Write(ref _hnsw, replacement);
            old?.Dispose();
        }
        finally
        {
            _hnswLock.ExitWriteLock();
        }
    }
}
