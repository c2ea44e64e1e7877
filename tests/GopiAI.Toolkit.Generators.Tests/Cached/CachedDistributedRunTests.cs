using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;

namespace GopiAI.Toolkit.Generators.Tests.Cached;

/// <summary>
/// Compiles [Cached(Distributed = true)] methods with the generator and runs them without a bound L2 (the in-process
/// layer alone), and round-trips values through the JSON metadata the generator wrote. The Redis side is covered by
/// tests/GopiAI.Toolkit.Redis.Tests (two processes, real Redis).
/// </summary>
[Collection(RunCollection.Name)]
public sealed class CachedDistributedRunTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        namespace Run.Distributed;

        public enum Tier { Free, Paid }

        public sealed record Profile(int Id, string? Name, IReadOnlyList<string> Roles, Dictionary<string, double> Scores, int? Age, DateTimeOffset? Seen, Tier Tier)
        {
            public string? Note { get; set; }
        }

        public struct Point { public int X { get; set; } public int Y { get; set; } }

        public partial class Catalog
        {
            public static int Runs;

            [Cached(300, Distributed = true, Tags = new[] { "profiles", "user:{id}" })]
            public static partial ValueTask<Profile> GetProfileAsync(int id, CancellationToken cancellationToken = default);
            private static ValueTask<Profile> GetProfileAsyncCore(int id, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Runs);
                return new(new Profile(id, id % 2 == 0 ? null : "n" + id, ["a", "b"], new() { ["x"] = 1.5 }, id % 3 == 0 ? null : id, null, Tier.Paid) { Note = "note" });
            }

            [Cached(300, Distributed = true)]
            public partial Task<List<Point?>> GetPointsAsync(string name, [NotCacheKey] int hint);
            private Task<List<Point?>> GetPointsAsyncCore(string name, int hint)
            {
                Interlocked.Increment(ref Runs);
                return Task.FromResult(new List<Point?> { new Point { X = name.Length, Y = hint }, null });
            }

            [Cached(300, Distributed = true, CacheNull = true)]
            public static partial string? Describe(int id);
            private static string? DescribeCore(int id) { Interlocked.Increment(ref Runs); return id < 0 ? null : "d" + id; }
        }
        """;

    private readonly LoadedAssembly _assembly = GeneratorHarness.CompileAndLoad(Source);

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public async Task GetProfileAsync_NoL2Bound_SecondCallIsAnInProcessHit()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");
        var first = await Invoke(catalog, "GetProfileAsync", 7, CancellationToken.None);
        var second = await Invoke(catalog, "GetProfileAsync", 7, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, Runs(catalog));
    }

    [Fact]
    public async Task InvalidateGetProfileAsync_ThenCall_RunsTheMethodAgain()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");
        await Invoke(catalog, "GetProfileAsync", 8, CancellationToken.None);

        Assert.True((bool)Invoke(catalog, "InvalidateGetProfileAsync", 8));
        await Invoke(catalog, "GetProfileAsync", 8, CancellationToken.None);
        await (ValueTask)Invoke(catalog, "InvalidateAllGetProfileAsyncAsync", CancellationToken.None);
        await Invoke(catalog, "GetProfileAsync", 8, CancellationToken.None);

        Assert.Equal(3, Runs(catalog));
    }

    [Fact]
    public async Task InvalidateTagAsync_TemplateTagOfOneKey_DropsOnlyThatEntry()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");
        await Invoke(catalog, "GetProfileAsync", 11, CancellationToken.None);
        await Invoke(catalog, "GetProfileAsync", 12, CancellationToken.None);

        await CacheManager.Shared.InvalidateTagAsync("user:11");
        await Invoke(catalog, "GetProfileAsync", 11, CancellationToken.None);
        await Invoke(catalog, "GetProfileAsync", 12, CancellationToken.None);

        Assert.Equal(3, Runs(catalog));
    }

    [Fact]
    public async Task Describe_SyncNullResultWithCacheNull_IsCachedToo()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");

        var method = catalog.GetMethod("Describe")!;
        Assert.Null(method.Invoke(null, [-1]));
        Assert.Null(method.Invoke(null, [-1]));
        Assert.Equal("d3", method.Invoke(null, [3]));

        Assert.Equal(2, Runs(catalog));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task GeneratedJsonMetadata_RecordWithCollectionsAndNullables_RoundTripsWithoutReflection()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");
        var profile = await Invoke(catalog, "GetProfileAsync", 4, CancellationToken.None);
        var typeInfo = (JsonTypeInfo)catalog.GetNestedType("__GetProfileAsync_Json", BindingFlags.NonPublic)!
            .GetProperty("TypeInfo", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        var json = JsonSerializer.Serialize((object?)profile, typeInfo);
        var back = JsonSerializer.Deserialize(json, typeInfo);

        Assert.Equal("""{"Id":4,"Name":null,"Roles":["a","b"],"Scores":{"x":1.5},"Age":4,"Seen":null,"Tier":1,"Note":"note"}""", json);
        Assert.Equal(json, JsonSerializer.Serialize(back, typeInfo));
        // The resolver knows only the types it generated: nothing falls back to reflection.
        Assert.Null(typeInfo.Options.TypeInfoResolver!.GetTypeInfo(typeof(Uri), typeInfo.Options));
    }

    [Fact]
    public void GeneratedJsonMetadata_ListOfNullableStructs_RoundTrips()
    {
        var catalog = _assembly.GetType("Run.Distributed.Catalog");
        var typeInfo = (JsonTypeInfo)catalog.GetNestedType("__GetPointsAsync_Json", BindingFlags.NonPublic)!
            .GetProperty("TypeInfo", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        var back = JsonSerializer.Deserialize("""[{"X":3,"Y":4},null]""", typeInfo);

        Assert.Equal("""[{"X":3,"Y":4},null]""", JsonSerializer.Serialize(back, typeInfo));
    }

    private static dynamic Invoke(Type type, string name, params object[] arguments) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments)!;

    private static int Runs(Type catalog) => (int)catalog.GetField("Runs")!.GetValue(null)!;
}
