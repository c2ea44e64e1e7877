using Microsoft.CodeAnalysis.Testing;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Growth.CollectionOnlyGrowsAnalyzer,
    GopiAI.Toolkit.CodeFixes.Growth.CollectionOnlyGrowsCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2001;

public sealed class CodeFix
{
    [Fact]
    public async Task AddStatement_CapacityCheck_GuardsTheAddAndDeclaresTheBound()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                public static class AuditLog
                {
                    private static readonly List<string> {|GOPI2001:s_entries|} = new();

                    public static void Write(string entry)
                    {
                        s_entries.Add(entry);
                    }
                }
                """,
            FixedCode = """
                using System.Collections.Generic;

                public static class AuditLog
                {
                    private static readonly List<string> s_entries = new();
                    private const int EntriesCapacity = 10_000;

                    public static void Write(string entry)
                    {
                        if (s_entries.Count < EntriesCapacity)
                        {
                            s_entries.Add(entry);
                        }
                    }
                }
                """,
            CodeActionEquivalenceKey = "GOPI2001.Capacity",
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task IndexerSetAndAdd_CapacityCheck_GuardsEveryGrowthSite()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                public static class Seen
                {
                    private static readonly Dictionary<string, int> {|GOPI2001:Counts|} = new();
                    private static readonly HashSet<string> {|GOPI2001:_names|} = new();

                    public static void Mark(string name, int count)
                    {
                        Counts[name] = count;
                        _names.Add(name);
                    }
                }
                """,
            FixedCode = """
                using System.Collections.Generic;

                public static class Seen
                {
                    private static readonly Dictionary<string, int> Counts = new();
                    private const int CountsCapacity = 10_000;
                    private static readonly HashSet<string> _names = new();
                    private const int NamesCapacity = 10_000;

                    public static void Mark(string name, int count)
                    {
                        if (Counts.Count < CountsCapacity)
                        {
                            Counts[name] = count;
                        }
                        if (_names.Count < NamesCapacity)
                        {
                            _names.Add(name);
                        }
                    }
                }
                """,
            CodeActionEquivalenceKey = "GOPI2001.Capacity",
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task AddInExpressionBody_NoCapacityFix()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                public static class SeenUsers
                {
                    private static readonly HashSet<string> {|GOPI2001:Seen|} = [];

                    public static bool Mark(string user) => Seen.Add(user);
                }
                """,
            FixedCode = """
                using System.Collections.Generic;

                public static class SeenUsers
                {
                    private static readonly HashSet<string> {|GOPI2001:Seen|} = [];

                    public static bool Mark(string user) => Seen.Add(user);
                }
                """,
            CodeActionEquivalenceKey = "GOPI2001.Capacity",
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Dictionary_LruCache_ReplacesTheDictionary()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                public static class Names
                {
                    private static readonly Dictionary<int, string> {|GOPI2001:s_names|} = new();

                    public static void Register(int id, string name)
                    {
                        s_names[id] = name;
                    }
                }
                """,
            FixedCode = """
                using System.Collections.Generic;
                using GopiAI.Toolkit.Caching;

                public static class Names
                {
                    private static readonly LruCache<int, string> s_names = new LruCache<int, string>(new LruCacheOptions { MaxSize = 1000 });

                    public static void Register(int id, string name)
                    {
                        s_names.Set(id, name);
                    }
                }
                """,
            CodeActionEquivalenceKey = "GOPI2001.LruCache",
        }.WithSource(GrowthStubs.LruCache);
        await test.RunAsync();
    }
}
