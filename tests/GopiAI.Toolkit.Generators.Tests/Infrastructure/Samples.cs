namespace GopiAI.Toolkit.Generators.Tests.Infrastructure;

/// <summary>Sources used by several generator tests.</summary>
internal static class Samples
{
    /// <summary>Every supported shape: instance/static, sync/Task/ValueTask, named cache, nested generic types, records, structs, overloads, global namespace.</summary>
    public const string AllShapes = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;
        using Microsoft.Extensions.Logging;

        namespace Demo
        {
            public sealed record Forecast(string City, int Temperature);

            public partial class WeatherService(ILogger<WeatherService> logger)
            {
                private readonly ILogger<WeatherService> _logger = logger;

                [Cached(300)]
                public partial Task<Forecast> GetForecastAsync(string city, CancellationToken ct = default);
                private async Task<Forecast> GetForecastAsyncCore(string city, CancellationToken ct) { await Task.Yield(); return new Forecast(city, 20); }

                [Cached(Ttl = "00:01:00", Sliding = true, MaxSize = 10), Monitored(SlowThresholdMs = 100)]
                public partial string? Describe(int id, [NotCacheKey] string format);
                private string? DescribeCore(int id, string format) => id.ToString(format);

                [Cached(60, Cache = "api_responses", CacheNull = true)]
                public static partial ValueTask<int?> LookupAsync(string name, CancellationToken ct);
                private static ValueTask<int?> LookupAsyncCore(string name, CancellationToken ct) => new(name.Length);

                [Cached(60)]
                public partial int Count(int a);
                private int CountCore(int a) => a;

                [Cached(60)]
                public partial int Count(string a);
                private int CountCore(string a) => a.Length;

                [Monitored]
                public partial Task SaveAsync(Forecast f);
                private Task SaveAsyncCore(Forecast f) => Task.CompletedTask;

                [Monitored(Name = "weather.sum")]
                internal partial long Sum(params int[] values);
                private long SumCore(params int[] values) => values.Length;
            }

            public static partial class Outer
            {
                [Monitored(Name = "outer")]
                public static partial class Inner<T> where T : class
                {
                    [Cached]
                    public static partial T? Find(int id);
                    private static T? FindCore(int id) => null;

                    public static partial ValueTask<T?> FindAsync(int id);
                    private static ValueTask<T?> FindAsyncCore(int id) => default;
                }
            }

            public partial record Settings(string Name)
            {
                [Cached(5)]
                public partial string Upper(string @class);
                private string UpperCore(string @class) => @class.ToUpperInvariant() + Name;
            }

            public partial struct Vector
            {
                [Monitored]
                public partial double Length();
                private double LengthCore() => 0;

                [Cached(5)]
                public static partial double Norm(double x, double y);
                private static double NormCore(double x, double y) => Math.Sqrt(x * x + y * y);
            }

            [Pooled(MaxRetained = 8)]
            public sealed partial class ScratchBuffer
            {
                public byte[] Data { get; } = new byte[4096];
                public void Reset() => Array.Clear(Data);
            }

            [LazyStartup(Priority = 2, DependsOn = new[] { typeof(Tokenizer) }, Eager = true)]
            public sealed partial class EmbeddingModel { }

            [LazyStartup]
            public sealed partial class Tokenizer { }
        }

        [Pooled]
        public partial class GlobalBuffer : Microsoft.Extensions.ObjectPool.IResettable
        {
            public bool TryReset() => true;
        }

        public static partial class GlobalMath
        {
            [Cached(10)]
            public static partial int Twice(int x);
            private static int TwiceCore(int x) => 2 * x;

            [Monitored]
            public static partial int Triple(this int x);
            private static int TripleCore(this int x) => 3 * x;
        }
        """;

    /// <summary>A file-scoped namespace with one target per generator.</summary>
    public const string FileScoped = """
        using GopiAI.Toolkit;

        namespace Demo.FileScoped;

        public partial class Calculator
        {
            [Cached(30), Monitored]
            public partial int Add(int a, int b);
            private int AddCore(int a, int b) => a + b;
        }

        [Pooled]
        public partial class Buffer { public void Reset() { } }

        [LazyStartup]
        public partial class Model { }
        """;
}
