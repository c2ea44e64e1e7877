using GopiAI.Toolkit.Analyzers.Growth;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.CollectionOnlyGrowsAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2001;

public sealed class Diagnostics
{
    [Fact]
    public async Task StaticList_OnlyAdded_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class AuditLog
            {
                private static readonly List<string> {|GOPI2001:s_entries|} = new();

                public void Write(string entry) => s_entries.Add(entry);
            }
            """);
    }

    [Fact]
    public async Task StaticClassHashSet_OnlyAdded_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public static class SeenUsers
            {
                private static readonly HashSet<string> {|GOPI2001:Seen|} = [];

                public static bool Mark(string user) => Seen.Add(user);
            }
            """);
    }

    [Fact]
    public async Task SingletonRegisteredService_InstanceListOnlyAdded_Reports()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Collections.Generic;
                using Microsoft.Extensions.DependencyInjection;

                public interface IRequestTracker { void Track(string path); }

                public sealed class RequestTracker : IRequestTracker
                {
                    private readonly List<string> {|GOPI2001:_paths|} = new List<string>();

                    public void Track(string path)
                    {
                        lock (_paths)
                        {
                            _paths.Add(path);
                        }
                    }

                    public IEnumerable<string> Paths => _paths;
                }

                public static class Registration
                {
                    public static IServiceCollection AddTracking(this IServiceCollection services) =>
                        services.AddSingleton<IRequestTracker, RequestTracker>();
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task LazyStartupComponent_QueueOnlyEnqueued_Reports()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                [GopiAI.Toolkit.LazyStartup]
                public partial class EmbeddingModel
                {
                    private readonly Queue<float[]> {|GOPI2001:_history|} = new();

                    public void Remember(float[] vector) => _history.Enqueue(vector);
                }
                """,
        }.WithToolkitStubs();
        await test.RunAsync();
    }

    [Fact]
    public async Task StaticDictionary_AddedWithConstantKeys_ReportsGrowthNotCache()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class Counters
            {
                private static readonly Dictionary<string, int> {|GOPI2001:s_byName|} = new();
                private static int s_next;

                public void Next() => s_byName.Add("counter" + s_next++, s_next);
            }
            """);
    }

    [Fact]
    public async Task StaticAutoProperty_OnlyAdded_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class Registry
            {
                public static List<string> {|GOPI2001:Names|} { get; } = new();

                public void Register(string name) => Names.Add(name);
            }
            """);
    }

    [Fact]
    public async Task StaticList_AddedThroughConditionalAccess_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class Log
            {
                private static List<string>? {|GOPI2001:s_lines|} = new();

                public void Write(string line) => s_lines?.Add(line);
            }
            """);
    }

    [Fact]
    public async Task StaticList_ExposedReadOnly_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public class Log
            {
                private static readonly List<string> {|GOPI2001:s_lines|} = new();

                public static IReadOnlyList<string> Lines => s_lines;

                public void Write(string line)
                {
                    if (s_lines.Count == 0)
                    {
                        s_lines.Add("header");
                    }

                    s_lines.Add(line);
                }
            }
            """);
    }

    [Theory]
    [InlineData("services.AddSingleton<IRequestTracker>(sp => new RequestTracker());")]
    [InlineData("services.AddSingleton<IRequestTracker>(new RequestTracker());")]
    [InlineData("services.AddSingleton(typeof(IRequestTracker), typeof(RequestTracker));")]
    [InlineData("services.AddKeyedSingleton<IRequestTracker, RequestTracker>(\"main\");")]
    public async Task SingletonRegistration_EveryForm_MakesTheServiceLongLived(string registration)
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Collections.Generic;
                using Microsoft.Extensions.DependencyInjection;

                public interface IRequestTracker { void Track(string path); }

                public sealed class RequestTracker : IRequestTracker
                {
                    private readonly List<string> {|GOPI2001:_paths|} = new();

                    public void Track(string path) => _paths.Add(path);
                }

                public static class Registration
                {
                    public static void Add(IServiceCollection services)
                    {
                        REGISTRATION
                    }
                }
                """.Replace("REGISTRATION", registration, StringComparison.Ordinal),
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task HostedService_InstanceListOnlyAdded_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Microsoft.Extensions.Hosting
            {
                public interface IHostedService
                {
                    Task StartAsync(CancellationToken cancellationToken);
                    Task StopAsync(CancellationToken cancellationToken);
                }
            }

            public sealed class Poller : Microsoft.Extensions.Hosting.IHostedService
            {
                private readonly List<int> {|GOPI2001:_results|} = new();

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _results.Add(42);
                    return Task.CompletedTask;
                }

                public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """);
    }
}
