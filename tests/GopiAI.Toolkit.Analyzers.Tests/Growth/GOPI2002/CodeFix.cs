using Microsoft.CodeAnalysis.Testing;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Growth.UnboundedMemoCacheAnalyzer,
    GopiAI.Toolkit.CodeFixes.Growth.UnboundedMemoCacheCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2002;

// The fields here are private and long-lived by declaration, so GOPI2002 is live; for fields other types can reach it
// is a compilation-end diagnostic, so the testing library's "local diagnostic" check is skipped for both.
public sealed class CodeFix
{
    [Fact]
    public async Task ConcurrentDictionaryGetOrAdd_ReplacedWithLruCache()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            TestCode = """
                using System.Collections.Concurrent;

                public static class Slugs
                {
                    private static readonly ConcurrentDictionary<string, string> {|GOPI2002:s_slugs|} = new();

                    public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
                }
                """,
            FixedCode = """
                using System.Collections.Concurrent;
                using GopiAI.Toolkit.Caching;

                public static class Slugs
                {
                    private static readonly LruCache<string, string> s_slugs = new LruCache<string, string>(new LruCacheOptions { MaxSize = 1000 });

                    public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
                }
                """,
        }.WithSource(GrowthStubs.LruCache);
        await test.RunAsync();
    }

    [Fact]
    public async Task DictionaryTryGetValueAndIndexer_RewrittenToTryGetAndSet()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            TestCode = """
                using System.Collections.Generic;

                public class PriceService
                {
                    private static readonly Dictionary<string, decimal> {|GOPI2002:s_prices|} = new Dictionary<string, decimal>();

                    public decimal Price(string sku)
                    {
                        if (!s_prices.TryGetValue(sku, out var price))
                        {
                            price = sku.Length * 1.5m;
                            s_prices[sku] = price;
                        }

                        return price;
                    }

                    public bool Known(string sku) => s_prices.ContainsKey(sku);
                }
                """,
            FixedCode = """
                using System.Collections.Generic;
                using GopiAI.Toolkit.Caching;

                public class PriceService
                {
                    private static readonly LruCache<string, decimal> s_prices = new LruCache<string, decimal>(new LruCacheOptions { MaxSize = 1000 });

                    public decimal Price(string sku)
                    {
                        if (!s_prices.TryGet(sku, out var price))
                        {
                            price = sku.Length * 1.5m;
                            s_prices.Set(sku, price);
                        }

                        return price;
                    }

                    public bool Known(string sku) => s_prices.TryGet(sku, out _);
                }
                """,
        }.WithSource(GrowthStubs.LruCache);
        await test.RunAsync();
    }

    [Fact]
    public async Task TwoCaches_FixAll_ReplacesBoth()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            TestCode = """
                using System.Collections.Concurrent;

                public static class Lookups
                {
                    private static readonly ConcurrentDictionary<string, int> {|GOPI2002:s_lengths|} = new();
                    private static readonly ConcurrentDictionary<int, string> {|GOPI2002:s_names|} = new();

                    public static int Length(string text) => s_lengths.GetOrAdd(text, t => t.Length);

                    public static string Name(int id)
                    {
                        var name = "n" + id;
                        s_names.TryAdd(id, name);
                        return name;
                    }
                }
                """,
            FixedCode = """
                using System.Collections.Concurrent;
                using GopiAI.Toolkit.Caching;

                public static class Lookups
                {
                    private static readonly LruCache<string, int> s_lengths = new LruCache<string, int>(new LruCacheOptions { MaxSize = 1000 });
                    private static readonly LruCache<int, string> s_names = new LruCache<int, string>(new LruCacheOptions { MaxSize = 1000 });

                    public static int Length(string text) => s_lengths.GetOrAdd(text, t => t.Length);

                    public static string Name(int id)
                    {
                        var name = "n" + id;
                        s_names.Set(id, name);
                        return name;
                    }
                }
                """,
        }.WithSource(GrowthStubs.LruCache);
        await test.RunAsync();
    }

    [Fact]
    public async Task ToolkitNotReferenced_NoFixOffered()
    {
        const string source = """
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> {|GOPI2002:s_slugs|} = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };
        await test.RunAsync();
    }

    [Fact]
    public async Task UseWithoutLruEquivalent_NoFixOffered()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Linq;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> {|GOPI2002:s_slugs|} = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());

                public static string[] Known() => s_slugs.Keys.ToArray();
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck }
            .WithSource(GrowthStubs.LruCache);
        await test.RunAsync();
    }

    [Fact]
    public async Task CacheServingOneMethod_ConvertedToCachedPartialMethod()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            CodeActionEquivalenceKey = "GOPI2002.Cached",
            TestCode = """
                using System.Collections.Concurrent;

                public static class Slugs
                {
                    private static readonly ConcurrentDictionary<string, string> {|GOPI2002:s_slugs|} = new();

                    public static string For(string title) => s_slugs.GetOrAdd(title, t => t.Trim().ToLowerInvariant());
                }
                """,
            FixedCode = """
                using System.Collections.Concurrent;
                using GopiAI.Toolkit;

                public static partial class Slugs
                {
                    [Cached]
                    public static partial string {|CS8795:For|}(string title);

                    private static string ForCore(string title) => title.Trim().ToLowerInvariant();
                }
                """,
        }.WithToolkitStubs();
        await test.RunAsync();
    }

    [Fact]
    public async Task InstanceCacheWithMethodGroupFactory_ConvertedToCachedPartialMethod()
    {
        var test = new Verify.Test
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            CodeActionEquivalenceKey = "GOPI2002.Cached",
            TestCode = """
                using System.Collections.Concurrent;

                [GopiAI.Toolkit.LazyStartup]
                public partial class Tokenizer
                {
                    private readonly ConcurrentDictionary<string, int[]> {|GOPI2002:_tokens|} = new();

                    public int[] Encode(string text)
                    {
                        return _tokens.GetOrAdd(text, Split);
                    }

                    private int[] Split(string text) => new int[text.Length];
                }
                """,
            FixedCode = """
                using System.Collections.Concurrent;
                using GopiAI.Toolkit;

                [GopiAI.Toolkit.LazyStartup]
                public partial class Tokenizer
                {
                    [Cached]
                    public partial int[] {|CS8795:Encode|}(string text);

                    private int[] EncodeCore(string text) => Split(text);

                    private int[] Split(string text) => new int[text.Length];
                }
                """,
        }.WithToolkitStubs();
        await test.RunAsync();
    }
}
