using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.UnboundedMemoCacheAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2002;

public sealed class Valid
{
    [Fact]
    public async Task Cache_WithEviction_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> s_slugs = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());

                public static void Forget(string title) => s_slugs.TryRemove(title, out _);
            }
            """);
    }

    [Fact]
    public async Task Cache_WithSizeCheck_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> s_slugs = new();

                public static string For(string title)
                {
                    if (s_slugs.Count >= 10_000)
                    {
                        return title.ToLowerInvariant();
                    }

                    return s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
                }
            }
            """);
    }

    [Fact]
    public async Task Cache_KeyedByEnum_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Concurrent;

            public static class DayNames
            {
                private static readonly ConcurrentDictionary<DayOfWeek, string> s_names = new();

                public static string For(DayOfWeek day) => s_names.GetOrAdd(day, d => d.ToString().ToUpperInvariant());
            }
            """);
    }

    [Fact]
    public async Task Cache_InShortLivedInstance_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public sealed class RequestScope
            {
                private readonly Dictionary<string, int> _lookups = new();

                public int Lookup(string key)
                {
                    if (!_lookups.TryGetValue(key, out var value))
                    {
                        value = key.Length;
                        _lookups[key] = value;
                    }

                    return value;
                }
            }
            """);
    }

    [Fact]
    public async Task Cache_ReplacedPeriodically_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static ConcurrentDictionary<string, string> s_slugs = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());

                public static void OnConfigurationChanged() => s_slugs = new();
            }
            """);
    }

    [Fact]
    public async Task Cache_FilledOnlyInStaticConstructor_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public static class Units
            {
                private static readonly Dictionary<string, double> s_factors = new();

                static Units()
                {
                    foreach (var (name, factor) in new[] { ("km", 1000.0), ("m", 1.0) })
                    {
                        s_factors[name] = factor;
                    }
                }

                public static double Factor(string unit) => s_factors[unit];
            }
            """);
    }

    [Fact]
    public async Task Registry_ValueStoredAsPassedIn_IsNotACache()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public static class Handlers
            {
                private static readonly Dictionary<string, System.Action> s_handlers = new();

                public static void Register(string name, System.Action handler) => s_handlers[name] = handler;
            }
            """);
    }
}
