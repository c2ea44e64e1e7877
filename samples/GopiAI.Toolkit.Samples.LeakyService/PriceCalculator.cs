namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>Prices orders, memoising the per-customer tax rate.</summary>
internal sealed class PriceCalculator
{
    // A memo cache keyed by customer id with no eviction: one entry per customer ever seen.
    private static readonly Dictionary<string, decimal> TaxRates = new(); // expect: GOPI2002

    public int CachedPrices => TaxRates.Count;

    public decimal PriceWithTax(string customerId, decimal amount)
    {
        if (!TaxRates.TryGetValue(customerId, out var rate))
        {
            rate = LookUpTaxRate(customerId);
            TaxRates[customerId] = rate;
        }

        return amount * (1 + rate);
    }

    private static decimal LookUpTaxRate(string customerId) => (customerId.Length % 3) switch
    {
        0 => 0.20m,
        1 => 0.07m,
        _ => 0.0m,
    };
}
