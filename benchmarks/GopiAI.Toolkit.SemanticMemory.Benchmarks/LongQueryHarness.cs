using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Long queries against a large store (issue 9, item 4): searches and contexts with queries from four words up to
/// <see cref="SemanticMemoryManager.MaxQueryLength"/> characters, natural (Zipf words) and adversarial (every word
/// distinct), at <c>--size</c> documents with fake embeddings (as in <c>e2e</c>), plus the real model's cost of
/// embedding a maximal query. Every round uses a fresh query; the result cache is off.
/// </summary>
public static class LongQueryHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(int count)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-longquery-");
        try
        {
            using var generator = new HashEmbeddingGenerator();
            var config = new MemoryConfig
            {
                IndexPath = Path.Combine(folder.FullName, "memory.db"),
                MaxDocuments = count * 2,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
            };
            var corpus = new SyntheticCorpus();
            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await memory.StoreDocumentsAsync(Enumerable.Range(0, count).Select(i => new MemoryDocument { Id = "d" + i.ToString(Inv), Content = corpus.Document(i) })).ConfigureAwait(false);
            Console.WriteLine($"## Long queries at {count:N0} documents (fake embeddings; ingest {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s)");
            await memory.SearchMemoryAsync("warm up", 10).ConfigureAwait(false);

            Console.WriteLine("| Query | Length | Hybrid p50 | Hybrid max | Keyword p50 | Keyword max | GetContextAsync p50 | GetContextAsync max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            var shapes = new (string Name, Func<int, string> Make)[]
            {
                ("4 words of a stored document", round => corpus.Query(round * 7919 % count)),
                ("1,000 chars of corpus words", round => Words(corpus, round, 1_000)),
                ("8,000 chars of corpus words", round => Words(corpus, round, 8_000)),
                ("32,768 chars of corpus words (the limit)", round => Words(corpus, round, SemanticMemoryManager.MaxQueryLength)),
                ("32,768 chars, every word distinct", round => Distinct(round, SemanticMemoryManager.MaxQueryLength)),
            };
            foreach (var (name, make) in shapes)
            {
                var hybrid = new List<double>();
                var keyword = new List<double>();
                var context = new List<double>();
                for (var round = 0; round < 20; round++)
                {
                    hybrid.Add(await TimeAsync(() => memory.SearchMemoryAsync(make(round * 3), 10)).ConfigureAwait(false));
                    keyword.Add(await TimeAsync(() => memory.SearchMemoryAsync(make((round * 3) + 1), 10, new SearchOptions { Mode = SearchMode.Keyword })).ConfigureAwait(false));
                    context.Add(await TimeAsync(() => memory.GetContextAsync(make((round * 3) + 2), 2000)).ConfigureAwait(false));
                }

                Console.WriteLine($"| {name} | {make(0).Length:N0} | {P50(hybrid)} | {hybrid.Max():F1} ms | {P50(keyword)} | {keyword.Max():F1} ms | {P50(context)} | {context.Max():F1} ms |");
            }

            var tooLong = new string('x', SemanticMemoryManager.MaxQueryLength + 1);
            start = Stopwatch.GetTimestamp();
            try
            {
                await memory.SearchMemoryAsync(tooLong, 10).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                Console.WriteLine($"A query of {tooLong.Length:N0} chars is rejected with ArgumentException in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F2} ms.");
            }

            // The real model: embedding a maximal query whole (what the tokenizer would read) vs the search path, whose
            // dense leg hands the model only the words it can read (DenseQuery), on a small store so the model dominates.
            using var model = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
            model.Embed(["warm up"]);
            await using var real = await SemanticMemoryManager.OpenAsync(
                new MemoryConfig { IndexPath = Path.Combine(folder.FullName, "real.db"), ResultCacheSize = 0 }, model).ConfigureAwait(false);
            await real.StoreDocumentsAsync(Enumerable.Range(0, 50).Select(i => new MemoryDocument { Content = corpus.Document(i) })).ConfigureAwait(false);
            var embed = new List<double>();
            var search = new List<double>();
            for (var round = 0; round < 10; round++)
            {
                var query = Words(corpus, 100 + round, SemanticMemoryManager.MaxQueryLength);
                start = Stopwatch.GetTimestamp();
                model.Embed([query]);
                embed.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                search.Add(await TimeAsync(() => real.SearchMemoryAsync(Words(corpus, 200 + round, SemanticMemoryManager.MaxQueryLength), 10)).ConfigureAwait(false));
            }

            Console.WriteLine($"Real model, {SemanticMemoryManager.MaxQueryLength:N0}-char query: Embed of the whole text p50 {P50(embed)} (max {embed.Max():F1} ms); Hybrid SearchMemoryAsync p50 {P50(search)} (max {search.Max():F1} ms).");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> search)
    {
        var start = Stopwatch.GetTimestamp();
        await search().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static string Words(SyntheticCorpus corpus, int seed, int length)
    {
        var builder = new StringBuilder(length + 400);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append(corpus.Document((seed * 1_000_003) + i)).Append(' ');
        }

        return builder.ToString(0, length).TrimEnd();
    }

    private static string Distinct(int seed, int length)
    {
        var builder = new StringBuilder(length + 16);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append('q').Append(((seed * 100_000) + i).ToString("x", Inv)).Append(' ');
        }

        return builder.ToString(0, length).TrimEnd();
    }

    private static string P50(List<double> times) => times.Order().ElementAt(times.Count / 2).ToString("F1", Inv) + " ms";
}
