using GopiAI.Toolkit.Generators.Tests.Infrastructure;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.Generators.Tests.LazyStartup;

/// <summary>Compiles [LazyStartup] classes and checks Instance and the registration with StartupOptimizer.Shared.</summary>
[Collection(RunCollection.Name)]
public sealed class LazyStartupRunTests : IDisposable
{
    // StartupOptimizer.Shared keeps registrations for the life of the process, so every test compiles its own namespace.
    private readonly string _ns = "Run.Lazy" + Guid.NewGuid().ToString("N");
    private readonly LoadedAssembly _assembly;

    public LazyStartupRunTests()
    {
        _assembly = GeneratorHarness.CompileAndLoad($$"""
            using System.Threading;
            using GopiAI.Toolkit;

            namespace {{_ns}};

            [LazyStartup]
            public sealed partial class Tokenizer
            {
                public static int Built;
                public Tokenizer() => Interlocked.Increment(ref Built);
            }

            [LazyStartup(Priority = 5, DependsOn = new[] { typeof(Tokenizer) })]
            public sealed partial class EmbeddingModel
            {
                public static int Built;
                public static bool TokenizerReadyFirst;
                public EmbeddingModel()
                {
                    TokenizerReadyFirst = Tokenizer.Built == 1;
                    Thread.Sleep(20);
                    Interlocked.Increment(ref Built);
                }
            }

            [LazyStartup(Eager = true)]
            internal sealed partial class Warm
            {
                public static int Built;
                public Warm() => Interlocked.Increment(ref Built);
            }
            """);
    }

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public async Task Instance_ConcurrentFirstUse_BuiltOnceAndShared()
    {
        var type = _ns + ".EmbeddingModel";
        using var start = new Barrier(8);

        var instances = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return _assembly.GetStatic(type, "Instance");
        })));

        Assert.All(instances, i => Assert.Same(instances[0], i));
        Assert.Equal(1, (int)_assembly.GetType(type).GetField("Built")!.GetValue(null)!);
        Assert.True((bool)_assembly.GetType(type).GetField("TokenizerReadyFirst")!.GetValue(null)!);
    }

    [Fact]
    public void Instance_FirstUse_AppearsInStartupReportWithLoadTime()
    {
        var type = _ns + ".Tokenizer";
        Assert.Null(StartupOptimizer.Shared.GetStartupReport().Components.SingleOrDefault(c => c.Name == type && c.Loaded));

        _ = _assembly.GetStatic(type, "Instance");

        var report = Assert.Single(StartupOptimizer.Shared.GetStartupReport().Components, c => c.Name == type);
        Assert.True(report.Loaded);
        Assert.NotNull(report.LoadTime);
        Assert.Equal(_assembly.GetType(type), report.ComponentType);
    }

    [Fact]
    public void Registration_EagerOption_ReachesStartupOptimizer()
    {
        // The runtime runs a module initializer before the first access to the module's code.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(_assembly.Assembly.ManifestModule.ModuleHandle);

        var components = StartupOptimizer.Shared.GetStartupReport().Components.Where(c => c.Name.StartsWith(_ns, StringComparison.Ordinal)).ToList();

        Assert.Equal(3, components.Count);
        Assert.True(components.Single(c => c.Name == _ns + ".Warm").Eager);
        Assert.False(components.Single(c => c.Name == _ns + ".Tokenizer").Eager);
        Assert.All(components, c => Assert.False(c.Loaded));
    }

    [Fact]
    public void AddLazyStartupComponents_CalledTwice_OneSingletonPerComponentResolvingInstance()
    {
        var services = new TestServices();
        var extensions = _assembly.Assembly.GetTypes().Single(t => t.Name == "LazyStartupServiceCollectionExtensions");
        var add = extensions.GetMethod("AddLazyStartupComponents")!;

        add.Invoke(null, [services]);
        add.Invoke(null, [services]);

        Assert.Equal(3, services.Count);
        Assert.All(services, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        var tokenizer = services.Single(d => d.ServiceType.FullName == _ns + ".Tokenizer");
        Assert.Same(_assembly.GetStatic(_ns + ".Tokenizer", "Instance"), tokenizer.ImplementationFactory!(null!));
    }

    private sealed class TestServices : List<ServiceDescriptor>, IServiceCollection
    {
    }
}
