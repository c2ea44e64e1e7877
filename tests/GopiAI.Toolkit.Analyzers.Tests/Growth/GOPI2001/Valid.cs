using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.CollectionOnlyGrowsAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2001;

public sealed class Valid
{
    [Fact]
    public async Task StaticList_AlsoTrimmed_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class AuditLog
            {
                private static readonly List<string> s_entries = new();

                public void Write(string entry)
                {
                    s_entries.Add(entry);
                    while (s_entries.Count > 100)
                    {
                        s_entries.RemoveAt(0);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task StaticList_CapacityChecked_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class AuditLog
            {
                private const int Max = 100;
                private static readonly List<string> s_entries = new();

                public void Write(string entry)
                {
                    if (s_entries.Count < Max)
                    {
                        s_entries.Add(entry);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task StaticList_ClearedElsewhere_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class Batch
            {
                internal static readonly List<string> Pending = new();

                public void Add(string item) => Pending.Add(item);
            }

            public class Flusher
            {
                public void Flush() => Batch.Pending.Clear();
            }
            """);
    }

    [Fact]
    public async Task StaticList_ReplacedOnReset_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class Batch
            {
                private static List<string> s_pending = new();

                public void Add(string item) => s_pending.Add(item);

                public void Reset() => s_pending = new();
            }
            """);
    }

    [Fact]
    public async Task StaticList_FilledOnlyInStaticConstructor_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class Lookup
            {
                private static readonly List<string> s_names = new() { "a" };

                static Lookup()
                {
                    s_names.Add("b");
                    s_names.Add("c");
                }

                public bool Has(string name) => s_names.Contains(name);
            }
            """);
    }

    [Fact]
    public async Task InstanceFieldOfShortLivedType_OnlyAdded_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class RequestContext
            {
                private readonly List<string> _warnings = new();

                public void Warn(string warning) => _warnings.Add(warning);
            }
            """);
    }

    [Fact]
    public async Task StaticDictionary_KeyedByType_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Generic;

            public static class PropertyNames
            {
                private static readonly Dictionary<Type, string[]> s_names = new();

                public static string[] For(Type type)
                {
                    if (!s_names.TryGetValue(type, out var names))
                    {
                        names = Array.ConvertAll(type.GetProperties(), p => p.Name);
                        s_names[type] = names;
                    }

                    return names;
                }
            }
            """);
    }

    [Fact]
    public async Task StaticList_HandedOutMutable_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public class Batch
            {
                private static readonly List<string> s_pending = new();

                public void Add(string item) => s_pending.Add(item);

                public void Drain(Sink sink) => sink.Consume(s_pending);
            }

            public class Sink
            {
                public void Consume(List<string> items) => items.Clear();
            }
            """);
    }

    [Fact]
    public async Task InjectedCollection_OnlyAdded_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public static class Collector
            {
                private static List<string>? s_target;

                public static void Attach(List<string> target) => s_target = target;

                public static void Add(string item) => s_target?.Add(item);
            }
            """);
    }

    [Fact]
    public async Task StaticConcurrentQueue_OnlyEnqueued_LeftToGopi2005()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Outbox
            {
                private static readonly ConcurrentQueue<string> s_messages = new();

                public static void Post(string message) => s_messages.Enqueue(message);
            }
            """);
    }

    [Fact]
    public async Task StaticDictionary_MemoCache_LeftToGopi2002()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Slugs
            {
                private static readonly ConcurrentDictionary<string, string> s_slugs = new();

                public static string For(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant().Replace(' ', '-'));
            }
            """);
    }

    [Fact]
    public async Task StaticDictionary_KeyedByAnotherCollectionsEntries_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;
            using System.Collections.Generic;

            public static class PoolJanitor
            {
                private static readonly ConcurrentDictionary<string, int> s_pools = new();
                private static readonly Dictionary<string, int> s_seenAtLastRun = new();

                public static void Track(string name, int size) => s_pools.AddOrUpdate(name, size, (_, _) => size);

                public static void Forget(string name) => s_pools.TryRemove(name, out _);

                public static void Run()
                {
                    foreach (var pair in s_pools)
                    {
                        s_seenAtLastRun[pair.Key] = pair.Value;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ClassNestedInStaticClass_InstanceList_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public static class Builders
            {
                public sealed class Batch
                {
                    private readonly List<string> _items = new();

                    public void Add(string item) => _items.Add(item);
                }
            }
            """);
    }

    [Fact]
    public async Task TransientRegistration_InstanceList_NoDiagnostic()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Collections.Generic;
                using Microsoft.Extensions.DependencyInjection;

                public sealed class RequestLog
                {
                    private readonly List<string> _lines = new();

                    public void Write(string line) => _lines.Add(line);
                }

                public static class Registration
                {
                    public static void Add(IServiceCollection services) => services.AddTransient<RequestLog>();
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task StaticDictionary_ConstantAndTypeKeysOnly_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Generic;

            public static class FeatureFlags
            {
                private static readonly Dictionary<string, bool> s_flags = new();
                private static readonly HashSet<object> s_warned = new();

                public static void Load(bool beta, bool dark)
                {
                    s_flags["beta"] = beta;
                    s_flags["dark-mode"] = dark;
                    s_warned.Add(typeof(FeatureFlags));
                }

                public static bool IsOn(string name) => s_flags.TryGetValue(name, out var on) && on;
            }
            """);
    }
}
