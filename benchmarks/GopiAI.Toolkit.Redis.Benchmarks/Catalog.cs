using System.Text.Json.Serialization;
using GopiAI.Toolkit;

namespace GopiAI.Toolkit.Redis.Benchmarks;

/// <summary>The cached result: a record of the size an API response cache typically holds (≈ 200 bytes of JSON).</summary>
[System.ComponentModel.ImmutableObject(true)] // lets HybridCache hand out the cached instance on an L1 hit (its fastest path) instead of a copy
public sealed record Product(int Id, string Name, decimal Price, IReadOnlyList<string> Tags, DateTimeOffset Updated, int? Stock);

/// <summary>The peer's JSON metadata (System.Text.Json's source generator), for the hand-written HybridCache and raw Redis rows.</summary>
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(int))]
internal sealed partial class PeerJson : JsonSerializerContext
{
}

/// <summary>The generated side of the benchmarks.</summary>
public static partial class Catalog
{
    /// <summary>Builds the product for <paramref name="id"/> (the "expensive" call every cache avoids).</summary>
    public static Product Build(int id) => new(id, "product-" + id, 9.99m + id, ["sale", "new", "featured"], new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), id % 5 == 0 ? null : id * 3);

    /// <summary>L1-hit path: the in-process layer holds every key.</summary>
    [Cached(3600, Distributed = true, MaxSize = 10_000)]
    public static partial ValueTask<Product> GetProductAsync(int id);

    /// <summary>L2-hit path: an in-process layer of one entry, so that cycling through keys reads Redis every time.</summary>
    [Cached(3600, Distributed = true, MaxSize = 1)]
    public static partial ValueTask<Product> GetProductFromL2Async(int id);

    private static ValueTask<Product> GetProductAsyncCore(int id) => new(Build(id));

    private static ValueTask<Product> GetProductFromL2AsyncCore(int id) => new(Build(id));
}
