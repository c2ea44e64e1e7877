namespace GopiAI.Toolkit.Benchmarks;

/// <summary>Deterministic Zipf-distributed key streams (inverse-CDF sampling), as in BitFaster.Caching's hit-rate benchmarks.</summary>
internal static class Zipf
{
    public static int[] Keys(int count, int distinct, double s, int seed)
    {
        var cdf = new double[distinct];
        double total = 0;
        for (var k = 0; k < distinct; k++)
        {
            total += 1 / Math.Pow(k + 1, s);
            cdf[k] = total;
        }

        var random = new Random(seed);
        var keys = new int[count];
        for (var i = 0; i < count; i++)
        {
            var index = Array.BinarySearch(cdf, random.NextDouble() * total);
            keys[i] = index < 0 ? ~index : index;
        }

        return keys;
    }
}
