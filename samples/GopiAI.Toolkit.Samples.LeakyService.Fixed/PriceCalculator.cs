using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>Prices orders, memoising the per-customer tax rate in a bounded LRU cache (the GOPI2002 fix).</summary>
internal sealed class PriceCalculator : IDisposable
{
    private readonly LruCache<string, decimal> _taxRates = new(new LruCacheOptions
    {
        Name = "tax_rates",
        MaxSize = 1_000,
        DefaultTtl = TimeSpan.FromHours(1),
    });

    public int CachedPrices => (int)_taxRates.GetStats().Size;

    public decimal PriceWithTax(string customerId, decimal amount) =>
        amount * (1 + _taxRates.GetOrAdd(customerId, static id => LookUpTaxRate(id)));

    public void Dispose() => _taxRates.Dispose();

    private static decimal LookUpTaxRate(string customerId) => (customerId.Length % 3) switch
    {
        0 => 0.20m,
        1 => 0.07m,
        _ => 0.0m,
    };
}
