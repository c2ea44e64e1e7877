using System.Collections.Concurrent;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Startup;

public sealed class StartupOptimizerTests
{
    private readonly FakeTimeProvider _time = new();

    private StartupOptimizer NewOptimizer(int parallelism = 4) =>
        new(new StartupOptimizerOptions { MaxDegreeOfParallelism = parallelism }, _time);

    [Fact]
    public void GetComponent_FirstUse_LoadsOnceAndRecordsTime()
    {
        using var optimizer = NewOptimizer();
        var loads = 0;
        optimizer.RegisterLazyLoader("model", () =>
        {
            loads++;
            _time.Advance(TimeSpan.FromMilliseconds(120));
            return new Model("m");
        });

        Assert.False(optimizer.IsLoaded("model"));
        var first = optimizer.GetComponent<Model>("model");
        var second = optimizer.GetComponent<Model>("model");

        Assert.Same(first, second);
        Assert.Equal(1, loads);
        var report = Assert.Single(optimizer.GetStartupReport().Components);
        Assert.True(report.Loaded);
        Assert.Equal(TimeSpan.FromMilliseconds(120), report.LoadTime);
    }

    [Fact]
    public void GetComponent_ConcurrentCallers_OneLoad()
    {
        using var optimizer = NewOptimizer();
        var loads = 0;
        optimizer.RegisterLazyLoader("shared", () =>
        {
            Interlocked.Increment(ref loads);
            Thread.Sleep(20);
            return new Model("s");
        });

        var results = new ConcurrentBag<Model>();
        Parallel.For(0, 16, _ => results.Add(optimizer.GetComponent<Model>("shared")));

        Assert.Equal(1, loads);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public void GetComponent_FactoryThrows_NotCachedAndRetried()
    {
        using var optimizer = NewOptimizer();
        var attempts = 0;
        optimizer.RegisterLazyLoader("flaky", () => ++attempts == 1 ? throw new InvalidOperationException("first") : new Model("ok"));

        Assert.Throws<InvalidOperationException>(() => optimizer.GetComponent<Model>("flaky"));
        Assert.Equal("first", optimizer.GetStartupReport().Components[0].Error);

        Assert.Equal("ok", optimizer.GetComponent<Model>("flaky").Name);
        Assert.Null(optimizer.GetStartupReport().Components[0].Error);
    }

    [Fact]
    public void GetComponent_Dependencies_LoadedFirst()
    {
        using var optimizer = NewOptimizer();
        var order = new List<string>();
        optimizer.RegisterLazyLoader("tokenizer", () => { order.Add("tokenizer"); return new Model("t"); });
        optimizer.RegisterLazyLoader("embedder", () => { order.Add("embedder"); return new Model("e"); }, new LazyLoaderOptions { DependsOn = ["tokenizer"] });

        optimizer.GetComponent<Model>("embedder");

        Assert.Equal(["tokenizer", "embedder"], order);
    }

    [Fact]
    public void GetComponent_AsyncLoaderNotLoaded_ThrowsPointingToAsync()
    {
        using var optimizer = NewOptimizer();
        optimizer.RegisterLazyLoader("async", ct => Task.FromResult(new Model("a")));

        var ex = Assert.Throws<InvalidOperationException>(() => optimizer.GetComponent<Model>("async"));

        Assert.Contains("GetComponentAsync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetComponentAsync_ConcurrentCallers_OneLoadThenSyncAccessWorks()
    {
        using var optimizer = NewOptimizer();
        var gate = new TaskCompletionSource<Model>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        optimizer.RegisterLazyLoader("async", ct => { Interlocked.Increment(ref loads); return gate.Task; });

        var callers = Enumerable.Range(0, 5).Select(_ => optimizer.GetComponentAsync<Model>("async").AsTask()).ToArray();
        gate.SetResult(new Model("a"));
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, loads);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Same(results[0], optimizer.GetComponent<Model>("async"));
    }

    [Fact]
    public async Task GetComponentAsync_CallerCancelled_LoadContinuesForOthers()
    {
        using var optimizer = NewOptimizer();
        var gate = new TaskCompletionSource<Model>(TaskCreationOptions.RunContinuationsAsynchronously);
        optimizer.RegisterLazyLoader("slow", ct => gate.Task);
        using var cts = new CancellationTokenSource();

        var cancelled = optimizer.GetComponentAsync<Model>("slow", cts.Token).AsTask();
        var patient = optimizer.GetComponentAsync<Model>("slow").AsTask();
        await cts.CancelAsync();
        gate.SetResult(new Model("done"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("done", (await patient).Name);
    }

    [Fact]
    public async Task GetComponentAsync_FactoryFaults_RetriedNextTime()
    {
        using var optimizer = NewOptimizer();
        var attempts = 0;
        optimizer.RegisterLazyLoader("f", async ct =>
        {
            await Task.Yield();
            return ++attempts == 1 ? throw new InvalidOperationException("once") : new Model("second");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => optimizer.GetComponentAsync<Model>("f").AsTask());

        Assert.Equal("second", (await optimizer.GetComponentAsync<Model>("f")).Name);
    }

    [Fact]
    public async Task GetComponentAsync_SyncLoader_Works()
    {
        using var optimizer = NewOptimizer();
        optimizer.RegisterLazyLoader("sync", () => new Model("s"));

        Assert.Equal("s", (await optimizer.GetComponentAsync<Model>("sync")).Name);
    }

    [Fact]
    public void GetComponent_WrongType_ThrowsInvalidCast()
    {
        using var optimizer = NewOptimizer();
        optimizer.RegisterLazyLoader("m", () => new Model("m"));

        Assert.Throws<InvalidCastException>(() => optimizer.GetComponent<string>("m"));
    }

    [Fact]
    public async Task InitializeApplicationAsync_RunsInDependencyOrderWithParallelism()
    {
        using var optimizer = NewOptimizer();
        var log = new ConcurrentQueue<string>();
        var concurrent = 0;
        var maxConcurrent = 0;
        async Task Work(string name, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            log.Enqueue("start " + name);
            await Task.Delay(30, ct);
            log.Enqueue("end " + name);
            Interlocked.Decrement(ref concurrent);
        }

        optimizer.AddStartupTask(new StartupTask("config", ct => Work("config", ct)) { Priority = 10 });
        optimizer.AddStartupTask(new StartupTask("db", ct => Work("db", ct)) { DependsOn = ["config"] });
        optimizer.AddStartupTask(new StartupTask("cache", ct => Work("cache", ct)) { DependsOn = ["config"] });
        optimizer.AddStartupTask(new StartupTask("api", ct => Work("api", ct)) { DependsOn = ["db", "cache"] });

        await optimizer.InitializeApplicationAsync();

        var entries = log.ToList();
        Assert.Equal("start config", entries[0]);
        Assert.True(entries.IndexOf("end config") < entries.IndexOf("start db"));
        Assert.True(entries.IndexOf("end config") < entries.IndexOf("start cache"));
        Assert.True(entries.IndexOf("end db") < entries.IndexOf("start api"));
        Assert.True(entries.IndexOf("end cache") < entries.IndexOf("start api"));
        Assert.Equal(2, maxConcurrent);
        Assert.All(optimizer.GetStartupReport().Tasks, t => Assert.Equal(StartupStepStatus.Succeeded, t.Status));
    }

    [Fact]
    public async Task InitializeApplicationAsync_PriorityOrdersReadyTasks()
    {
        using var optimizer = NewOptimizer(parallelism: 1);
        var order = new List<string>();
        foreach (var (name, priority) in new[] { ("low", 0), ("high", 5), ("mid", 2) })
        {
            optimizer.AddStartupTask(new StartupTask(name, _ => { order.Add(name); return Task.CompletedTask; }) { Priority = priority });
        }

        await optimizer.InitializeApplicationAsync();

        Assert.Equal(["high", "mid", "low"], order);
    }

    [Fact]
    public async Task InitializeApplicationAsync_ReportsProgress()
    {
        using var optimizer = NewOptimizer(parallelism: 1);
        optimizer.AddStartupTask(new StartupTask("a", _ => Task.CompletedTask));
        optimizer.AddStartupTask(new StartupTask("b", _ => Task.CompletedTask) { DependsOn = ["a"] });
        var reports = new List<StartupProgress>();

        await optimizer.InitializeApplicationAsync(new SyncProgress(reports.Add));

        Assert.Equal(4, reports.Count);
        Assert.Equal(("a", StartupStepStatus.Running, 0), (reports[0].CurrentTask, reports[0].Status, reports[0].Completed));
        Assert.Equal(("b", StartupStepStatus.Succeeded, 2), (reports[3].CurrentTask, reports[3].Status, reports[3].Completed));
        Assert.All(reports, r => Assert.Equal(2, r.Total));
        Assert.Equal(1.0, reports[3].Fraction);
    }

    [Fact]
    public async Task InitializeApplicationAsync_TaskFails_OneErrorNamingFailedAndSkipped()
    {
        using var optimizer = NewOptimizer();
        var ranAfter = false;
        optimizer.AddStartupTask(new StartupTask("config", _ => Task.CompletedTask));
        optimizer.AddStartupTask(new StartupTask("db", _ => throw new InvalidOperationException("connection refused")) { DependsOn = ["config"] });
        optimizer.AddStartupTask(new StartupTask("migrations", _ => { ranAfter = true; return Task.CompletedTask; }) { DependsOn = ["db"] });
        optimizer.AddStartupTask(new StartupTask("api", _ => { ranAfter = true; return Task.CompletedTask; }) { DependsOn = ["migrations"] });

        var ex = await Assert.ThrowsAsync<StartupException>(() => optimizer.InitializeApplicationAsync());

        Assert.Equal("db", ex.FailedTask);
        Assert.Equal(["migrations", "api"], ex.SkippedTasks);
        Assert.Equal("Startup task 'db' failed: connection refused Skipped because of it: 'migrations', 'api'.", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.False(ranAfter);
        var report = optimizer.GetStartupReport().Tasks.ToDictionary(t => t.Name);
        Assert.Equal(StartupStepStatus.Succeeded, report["config"].Status);
        Assert.Equal(StartupStepStatus.Failed, report["db"].Status);
        Assert.Equal("connection refused", report["db"].Error);
        Assert.Equal(StartupStepStatus.Skipped, report["api"].Status);
    }

    [Fact]
    public async Task InitializeApplicationAsync_AfterFailure_SecondRunRetriesOnlyUnfinished()
    {
        using var optimizer = NewOptimizer();
        var configRuns = 0;
        var dbAttempts = 0;
        optimizer.AddStartupTask(new StartupTask("config", _ => { configRuns++; return Task.CompletedTask; }));
        optimizer.AddStartupTask(new StartupTask("db", _ => ++dbAttempts == 1 ? throw new InvalidOperationException("down") : Task.CompletedTask) { DependsOn = ["config"] });

        await Assert.ThrowsAsync<StartupException>(() => optimizer.InitializeApplicationAsync());
        await optimizer.InitializeApplicationAsync();

        Assert.Equal(1, configRuns);
        Assert.Equal(2, dbAttempts);
    }

    [Fact]
    public async Task InitializeApplicationAsync_EagerComponents_LoadedAndCanDependOnTasks()
    {
        using var optimizer = NewOptimizer();
        var configured = false;
        optimizer.AddStartupTask(new StartupTask("config", _ => { configured = true; return Task.CompletedTask; }));
        optimizer.RegisterLazyLoader("model", ct => Task.FromResult(new Model(configured ? "configured" : "early")), new LazyLoaderOptions { Eager = true, DependsOn = ["config"] });
        optimizer.RegisterLazyLoader("lazy", () => new Model("lazy"));

        await optimizer.InitializeApplicationAsync();

        Assert.True(optimizer.IsLoaded("model"));
        Assert.Equal("configured", optimizer.GetComponent<Model>("model").Name);
        Assert.False(optimizer.IsLoaded("lazy"));
    }

    [Fact]
    public async Task InitializeApplicationAsync_TaskDependsOnLazyComponent_LoadsIt()
    {
        using var optimizer = NewOptimizer();
        optimizer.RegisterLazyLoader("tokenizer", () => new Model("t"));
        optimizer.AddStartupTask(new StartupTask("warmup", _ => Task.CompletedTask) { DependsOn = ["tokenizer"] });

        await optimizer.InitializeApplicationAsync();

        Assert.True(optimizer.IsLoaded("tokenizer"));
    }

    [Fact]
    public async Task InitializeApplicationAsync_UnknownDependency_ThrowsBeforeRunningAnything()
    {
        using var optimizer = NewOptimizer();
        var ran = false;
        optimizer.AddStartupTask(new StartupTask("a", _ => { ran = true; return Task.CompletedTask; }));
        optimizer.AddStartupTask(new StartupTask("b", _ => Task.CompletedTask) { DependsOn = ["ghost"] });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => optimizer.InitializeApplicationAsync());

        Assert.Contains("'ghost'", ex.Message, StringComparison.Ordinal);
        Assert.False(ran);
    }

    [Fact]
    public async Task InitializeApplicationAsync_Cancelled_ThrowsAndSkipsRest()
    {
        using var optimizer = NewOptimizer(parallelism: 1);
        using var cts = new CancellationTokenSource();
        optimizer.AddStartupTask(new StartupTask("first", async ct => { await cts.CancelAsync(); }));
        optimizer.AddStartupTask(new StartupTask("second", _ => Task.CompletedTask) { DependsOn = ["first"] });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => optimizer.InitializeApplicationAsync(cancellationToken: cts.Token));

        Assert.Equal(StartupStepStatus.Skipped, optimizer.GetStartupReport().Tasks[1].Status);
    }

    [Fact]
    public async Task InitializeApplicationAsync_ConcurrentCall_Rejected()
    {
        using var optimizer = NewOptimizer();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        optimizer.AddStartupTask(new StartupTask("wait", _ => gate.Task));

        var first = optimizer.InitializeApplicationAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => optimizer.InitializeApplicationAsync());
        gate.SetResult();
        await first;
    }

    [Fact]
    public void AddStartupTask_Cycle_ThrowsShowingCycleAndKeepsState()
    {
        using var optimizer = NewOptimizer();
        optimizer.AddStartupTask(new StartupTask("a", _ => Task.CompletedTask) { DependsOn = ["c"] });
        optimizer.AddStartupTask(new StartupTask("b", _ => Task.CompletedTask) { DependsOn = ["a"] });

        var ex = Assert.Throws<InvalidOperationException>(() => optimizer.AddStartupTask(new StartupTask("c", _ => Task.CompletedTask) { DependsOn = ["b"] }));

        Assert.Equal("Startup dependency cycle: c -> b -> a -> c.", ex.Message);
        Assert.Equal(2, optimizer.GetStartupReport().Tasks.Count);
    }

    [Fact]
    public void RegisterLazyLoader_CycleWithTask_Throws()
    {
        using var optimizer = NewOptimizer();
        optimizer.AddStartupTask(new StartupTask("t", _ => Task.CompletedTask) { DependsOn = ["comp"] });

        Assert.Throws<InvalidOperationException>(() => optimizer.RegisterLazyLoader("comp", () => new Model("x"), new LazyLoaderOptions { DependsOn = ["t"] }));
    }

    [Fact]
    public async Task GetStartupReport_StartedAt_OffsetsFromCreation()
    {
        using var optimizer = NewOptimizer(parallelism: 1);
        optimizer.AddStartupTask(new StartupTask("first", _ => { _time.Advance(TimeSpan.FromSeconds(2)); return Task.CompletedTask; }));
        optimizer.AddStartupTask(new StartupTask("second", _ => Task.CompletedTask) { DependsOn = ["first"] });
        optimizer.RegisterLazyLoader("comp", () => "c");
        _time.Advance(TimeSpan.FromSeconds(1));

        await optimizer.InitializeApplicationAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        optimizer.GetComponent<string>("comp");
        var report = optimizer.GetStartupReport();

        Assert.Equal(TimeSpan.FromSeconds(1), report.InitializationStartedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), report.Tasks[0].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(3), report.Tasks[1].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(8), report.Components[0].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(2), report.TotalElapsed);
    }

    [Fact]
    public void GetStartupReport_ListsEverythingAndFormats()
    {
        using var optimizer = NewOptimizer();
        optimizer.AddStartupTask(new StartupTask("task1", _ => Task.CompletedTask));
        optimizer.RegisterLazyLoader("comp1", () => new Model("c"), new LazyLoaderOptions { Eager = true });

        var report = optimizer.GetStartupReport();
        var text = report.ToString();

        Assert.Single(report.Tasks);
        Assert.Single(report.Components);
        Assert.Contains("task      task1", text, StringComparison.Ordinal);
        Assert.Contains("component comp1", text, StringComparison.Ordinal);
        Assert.Contains("(eager)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_DisposesBuiltComponents()
    {
        var optimizer = NewOptimizer();
        var disposable = new DisposableComponent();
        var asyncDisposable = new AsyncDisposableComponent();
        optimizer.RegisterLazyLoader("d", () => disposable);
        optimizer.RegisterLazyLoader("a", () => asyncDisposable);
        optimizer.RegisterLazyLoader("never", () => new DisposableComponent());
        optimizer.GetComponent<DisposableComponent>("d");
        optimizer.GetComponent<AsyncDisposableComponent>("a");

        await optimizer.DisposeAsync();
        optimizer.Dispose();

        Assert.True(disposable.Disposed);
        Assert.True(asyncDisposable.Disposed);
        Assert.Throws<ObjectDisposedException>(() => optimizer.GetComponent<DisposableComponent>("d"));
    }

    [Fact]
    public void BadInput_ThrowsNamingArgument()
    {
        using var optimizer = NewOptimizer();
        optimizer.RegisterLazyLoader("dup", () => new Model("x"));

        Assert.Equal("name", Assert.Throws<ArgumentException>(() => optimizer.RegisterLazyLoader("", () => new Model("x"))).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => optimizer.RegisterLazyLoader("dup", () => new Model("x"))).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => optimizer.RegisterLazyLoader("y", (Func<Model>)null!)).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentNullException>(() => optimizer.AddStartupTask(null!)).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => optimizer.AddStartupTask(new StartupTask("dup", _ => Task.CompletedTask))).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentException>(() => optimizer.AddStartupTask(new StartupTask("self", _ => Task.CompletedTask) { DependsOn = ["self"] })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => optimizer.RegisterLazyLoader("e", () => new Model("x"), new LazyLoaderOptions { DependsOn = [""] })).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => optimizer.GetComponent<Model>("missing")).ParamName);
        Assert.Equal("MaxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new StartupOptimizer(new StartupOptimizerOptions { MaxDegreeOfParallelism = 0 })).ParamName);
    }

    [Fact]
    public void Shared_IsSingletonAndIgnoresDispose()
    {
        StartupOptimizer.Shared.Dispose();
        var name = $"shared-{Guid.NewGuid():N}";
        StartupOptimizer.Shared.RegisterLazyLoader(name, () => new Model("s"));

        Assert.Equal("s", StartupOptimizer.Shared.GetComponent<Model>(name).Name);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed record Model(string Name);

    private sealed class DisposableComponent : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class AsyncDisposableComponent : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SyncProgress(Action<StartupProgress> report) : IProgress<StartupProgress>
    {
        public void Report(StartupProgress value) => report(value);
    }
}
