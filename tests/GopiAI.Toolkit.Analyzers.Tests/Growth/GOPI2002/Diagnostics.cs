using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.UnboundedMemoCacheAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2002;

public sealed class Diagnostics
{
    [Fact]
    public async Task StaticConcurrentDictionary_GetOrAdd_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> {|GOPI2002:s_slugs|} = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
            }
            """);
    }

    [Fact]
    public async Task StaticDictionary_IndexerSetKeyedByArgument_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class PriceService
            {
                private static readonly Dictionary<string, decimal> {|GOPI2002:s_prices|} = new();

                public decimal Price(string sku, int quantity)
                {
                    var key = sku + ":" + quantity;
                    if (!s_prices.TryGetValue(key, out var price))
                    {
                        price = quantity * 1.5m;
                        s_prices[key] = price;
                    }

                    return price;
                }
            }
            """);
    }

    [Fact]
    public async Task SingletonService_TryAdd_Reports()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Collections.Concurrent;
                using Microsoft.Extensions.DependencyInjection;

                public sealed class Geocoder
                {
                    private readonly ConcurrentDictionary<string, (double, double)> {|GOPI2002:_byAddress|} = new();

                    public (double, double) Locate(string address)
                    {
                        if (_byAddress.TryGetValue(address, out var point))
                        {
                            return point;
                        }

                        point = (address.Length, 0);
                        _byAddress.TryAdd(address, point);
                        return point;
                    }
                }

                public static class Setup
                {
                    public static void Configure(IServiceCollection services) => services.AddSingleton<Geocoder>();
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task LazyStartupComponent_GetOrAddWithArgument_Reports()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Concurrent;

                [GopiAI.Toolkit.LazyStartup]
                public partial class Tokenizer
                {
                    private readonly ConcurrentDictionary<string, int[]> {|GOPI2002:_tokens|} = new();

                    public int[] Encode(string text) => _tokens.GetOrAdd(text, static (t, self) => self.EncodeCore(t), this);

                    private int[] EncodeCore(string text) => new int[text.Length];
                }
                """,
        }.WithToolkitStubs();
        await test.RunAsync();
    }
}
