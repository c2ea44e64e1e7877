using System.Globalization;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Samples.Assistant.Dashboard;
using GopiAI.Toolkit.Samples.Assistant.Monitoring;
using GopiAI.Toolkit.Samples.Assistant.Reporting;
using GopiAI.Toolkit.Samples.Assistant.Services;
using GopiAI.Toolkit.SemanticMemory;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Assistant;

/// <summary>
/// The assistant sample from start to finish: startup with a progress display, first-run ingestion, the scripted session,
/// the interactive prompt, the optional memory-pressure simulation, the performance summary and the HTML report.
/// </summary>
public static class AssistantApp
{
    /// <summary>Runs the assistant.</summary>
    /// <param name="args">The command line (see <see cref="AssistantOptions.Usage"/>).</param>
    /// <param name="console">Where output goes.</param>
    /// <param name="input">Where the interactive prompt reads questions from.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The exit code: 0 on success, 2 for invalid arguments, 1 when the run failed, 130 when it was cancelled (Ctrl+C, SIGTERM) before it finished.</returns>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(input);
        AssistantOptions options;
        try
        {
            options = AssistantOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message.Split(" (Parameter")[0])}");
            console.WriteLine(AssistantOptions.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            console.WriteLine(AssistantOptions.Usage);
            return 0;
        }

        try
        {
            await RunCoreAsync(options, console, input, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or MemoryStoreException or StartupException or IOException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
    }

    private static async Task RunCoreAsync(AssistantOptions options, IAnsiConsole console, TextReader input, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var origin = time.GetTimestamp();
        console.Write(new Rule("[bold]GopiAI.Toolkit assistant sample[/]").LeftJustified());

        // The dashboard starts first, so that it shows startup and ingestion live too.
        await using var dashboard = options.DashboardUrl is { } dashboardUrl ? await AssistantDashboard.StartAsync(dashboardUrl, cancellationToken).ConfigureAwait(false) : null;
        if (dashboard is not null)
        {
            console.MarkupLine($"live dashboard: [blue]{Markup.Escape(dashboard.PageUrl)}[/] (loopback clients only)");
        }

        // Warnings go through the run's console, not the framework's console logger: one writer keeps each line whole.
        using var consoleLog = new AnsiConsoleLoggerProvider(console, LogLevel.Warning);
        using var loggerFactory = LoggerFactory.Create(builder =>
        {
            builder
                .AddProvider(consoleLog)
                .SetMinimumLevel(LogLevel.Warning);
            if (dashboard is not null)
            {
                builder.AddProvider(dashboard.CreateAlertLoggerProvider());
            }
        });
        var alertLogger = loggerFactory.CreateLogger("GopiAI.Toolkit.Samples.Assistant.Alerts");

        var dbPath = Path.GetFullPath(options.DatabasePath);
        var firstRun = !File.Exists(dbPath);
        if (firstRun && !File.Exists(options.DataPath))
        {
            // Fail before creating an empty database file.
            throw new FileNotFoundException($"The conversations to ingest were not found: {Path.GetFullPath(options.DataPath)} (see --data).", options.DataPath);
        }

        console.MarkupLine($"memory database: [blue]{Markup.Escape(dbPath)}[/] ({(firstRun ? "new" : "existing")})");

        // One slow-call threshold for the alerts and for the monitor's bottleneck analysis.
        ApiPerformanceMonitor.Shared.Options.SlowThreshold = options.Alerts.SlowEndpointThreshold;
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(options.Alerts, MemoryMonitor.Shared, ApiPerformanceMonitor.Shared, CacheManager.Shared, ResourcePoolManager.Shared, alertLogger, time);
        watchdog.AlertRaised += (_, alert) => console.MarkupLine(CultureInfo.InvariantCulture, "[yellow]AlertRaised event:[/] {0} at {1:0.0} s{2}", alert.Kind, alert.At.TotalSeconds, alert.Cleanup is null ? string.Empty : " (clean-up done)");
        watchdog.Start();
        using var unusualUsage = UnusualUsageConsole.Attach(console, alertLogger, MemoryMonitor.Shared, ApiPerformanceMonitor.Shared);

        // Growth during startup is loading, not leaking: the leak alert starts once the steady-state baseline is taken below.
        MemoryMonitor.Shared.Options.RaiseGrowthAlerts = false;

        // --- Startup: the [LazyStartup] components (model, token counter, memory store) and the database, with progress.
        var timeline = new StartupTimelineRecorder(time, origin);
        MemoryStore.Configuration = new MemoryConfig { IndexPath = dbPath };
        StartupOptimizer.Shared.AddStartupTask(new StartupTask("open memory database", ct => MemoryStore.Instance.OpenAsync(ct))
        {
            DependsOn = [MemoryStore.LazyStartupName],
        });
        timeline.MarkInitializationStart();
        await RunWithProgressAsync(console, "Starting up", timeline, () => StartupOptimizer.Shared.InitializeApplicationAsync(timeline, cancellationToken)).ConfigureAwait(false);

        var store = MemoryStore.Instance;
        var stats = await store.Manager.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        if (stats.DocumentCount == 0)
        {
            var documents = await ConversationSet.LoadAsync(options.DataPath, cancellationToken).ConfigureAwait(false);
            var result = await timeline.MeasureAsync($"ingest {Path.GetFileName(options.DataPath)}", () => IngestAsync(console, store.Manager, documents, cancellationToken)).ConfigureAwait(false);
            console.MarkupLine($"ingested [green]{result.Stored}[/] turns ({result.Duplicates} duplicates) into {Markup.Escape(Path.GetFileName(dbPath))}");
            stats = await store.Manager.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            console.MarkupLine($"reusing {Markup.Escape(Path.GetFileName(dbPath))}: [green]{stats.DocumentCount}[/] documents, nothing to ingest");
        }

        // Startup and ingestion are over: from here on the memory monitor judges growth against this steady state.
        MemoryMonitor.ForceGarbageCollection();
        watchdog.MarkBaseline();
        MemoryMonitor.Shared.Options.RaiseGrowthAlerts = true;

        console.MarkupLine(CultureInfo.InvariantCulture, "memory: {0} documents in {1} conversations, {2} chunks, {3:0.0} MB on disk, {4} ({5} dimensions{6})", stats.DocumentCount, stats.ConversationCount, stats.ChunkCount, stats.FileSizeBytes / 1048576.0, Markup.Escape(stats.EmbeddingModel), stats.Dimensions, stats.Compressed ? ", int8" : string.Empty);

        // --- The service layer, wired by hand the way a DI container would.
        var assistant = new AssistantService(
            new KnowledgeBase(store, loggerFactory.CreateLogger<KnowledgeBase>()),
            new AnswerContextBuilder(store),
            new ToolCatalog(),
            new PromptAssembler(),
            loggerFactory.CreateLogger<AssistantService>());

        var questions = await ConversationSet.LoadQuestionsAsync(options.QuestionsPath, cancellationToken).ConfigureAwait(false);
        await ScriptedSessionAsync(console, assistant, questions, options, cancellationToken).ConfigureAwait(false);
        watchdog.CheckEndpoints();

        if (options.Interactive)
        {
            await InteractiveAsync(console, assistant, input, options, cancellationToken).ConfigureAwait(false);
        }

        if (options.SimulatePressure)
        {
            SimulatePressure(console, watchdog, MemoryMonitor.Shared, options);
        }

        watchdog.Sample();
        watchdog.CheckEndpoints();
        var report = ReportBuilder.Build(
            time.GetUtcNow(),
            timeline.BuildSpans(StartupOptimizer.Shared.GetStartupReport()),
            latencies,
            ApiPerformanceMonitor.Shared,
            CacheManager.Shared,
            ResourcePoolManager.Shared,
            MemoryMonitor.Shared,
            watchdog);
        console.WriteLine();
        ConsoleSummary.Write(console, report);

        if (options.ReportPath is { } reportPath)
        {
            await HtmlReportRenderer.WriteAsync(report, reportPath, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"\nHTML report written to [blue]{Markup.Escape(Path.GetFullPath(reportPath))}[/]");
        }

        if (dashboard is not null)
        {
            console.MarkupLine($"\nlive dashboard still serving at [blue]{Markup.Escape(dashboard.PageUrl)}[/]; press Ctrl+C to stop.");
            await AssistantDashboard.ServeUntilCancelledAsync(cancellationToken).ConfigureAwait(false);
            console.MarkupLine("dashboard stopped.");
        }

        await store.DisposeAsync().ConfigureAwait(false);
        EmbeddingModelHost.Instance.Dispose();
    }

    private static async Task RunWithProgressAsync(IAnsiConsole console, string title, StartupTimelineRecorder timeline, Func<Task> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            timeline.Progressed += (_, p) =>
            {
                if (p.Status != StartupStepStatus.Running)
                {
                    console.MarkupLine(CultureInfo.InvariantCulture, "  {0} [[{1}/{2}]] {3} {4} ({5:0.00} s)", Markup.Escape(title), p.Completed, p.Total, Markup.Escape(p.CurrentTask ?? string.Empty), p.Status.ToString().ToLowerInvariant(), p.Elapsed.TotalSeconds);
                }
            };
            await work().ConfigureAwait(false);
            return;
        }

        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(title, maxValue: 1);
                timeline.Progressed += (_, p) =>
                {
                    bar.MaxValue = Math.Max(1, p.Total);
                    bar.Value = p.Completed;
                    bar.Description = $"{title}: {Markup.Escape(p.CurrentTask ?? string.Empty)}";
                };
                await work().ConfigureAwait(false);
                bar.Value = bar.MaxValue;
                bar.Description = title;
            }).ConfigureAwait(false);
    }

    private static async Task<StoreResult> IngestAsync(IAnsiConsole console, SemanticMemoryManager memory, IReadOnlyList<MemoryDocument> documents, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastDecile = -1;
            var progress = new SynchronousProgress<StoreProgress>(p =>
            {
                var decile = p.Processed * 10 / Math.Max(1, documents.Count);
                if (decile != lastDecile)
                {
                    lastDecile = decile;
                    console.MarkupLine(CultureInfo.InvariantCulture, "  ingesting conversations {0,3}% ({1}/{2})", decile * 10, p.Processed, documents.Count);
                }
            });
            return await memory.StoreDocumentsAsync(documents, progress, cancellationToken).ConfigureAwait(false);
        }

        StoreResult? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("Ingesting conversations", maxValue: documents.Count);
                var progress = new SynchronousProgress<StoreProgress>(p => bar.Value = p.Processed);
                result = await memory.StoreDocumentsAsync(documents, progress, cancellationToken).ConfigureAwait(false);
                bar.Value = documents.Count;
            }).ConfigureAwait(false);
        return result!;
    }

    private static async Task ScriptedSessionAsync(IAnsiConsole console, AssistantService assistant, IReadOnlyList<ScriptedQuestion> questions, AssistantOptions options, CancellationToken cancellationToken)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]Scripted session: {questions.Count} questions[/]").LeftJustified());
        var found = 0;
        var withinBudget = 0;
        var answered = 0;
        var firstPass = new List<TimeSpan>();
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var started = TimeProvider.System.GetTimestamp();
            var answer = await assistant.AskAsync(question.Question, options.TopResults, options.TokenBudget, cancellationToken).ConfigureAwait(false);
            firstPass.Add(TimeProvider.System.GetElapsedTime(started));
            var hit = answer.Results.Any(r => string.Equals(r.ConversationId, question.Conversation, StringComparison.Ordinal));
            found += hit ? 1 : 0;
            withinBudget += answer.Context.WithinBudget ? 1 : 0;
            var held = answer.Context.Text.Contains(question.Expect, StringComparison.OrdinalIgnoreCase);
            answered += held ? 1 : 0;
            console.WriteLine();
            console.MarkupLine($"[bold]Question {i + 1}/{questions.Count}:[/] {Markup.Escape(question.Question)}");
            WriteAnswer(console, answer, TimeProvider.System.GetElapsedTime(started));
            console.MarkupLine(
                $"  answer conversation {Markup.Escape(question.Conversation)} (\"{Markup.Escape(question.Expect)}\") in the top {options.TopResults}: {(hit ? "[green]found[/]" : "[red]not found[/]")}; answer in the context: {(held ? "[green]yes[/]" : "[red]no[/]")}");
        }

        console.WriteLine();
        console.MarkupLine($"[bold]Scripted session:[/] {found}/{questions.Count} questions found the conversation holding their answer in the top {options.TopResults}; {withinBudget}/{questions.Count} contexts within the {options.TokenBudget}-token budget.");
        console.MarkupLine($"[bold]Answers in context:[/] {answered}/{questions.Count} contexts hold the answer.");

        // Asking again: every [Cached] method answers from its cache now.
        var secondPass = new List<TimeSpan>();
        foreach (var question in questions)
        {
            var started = TimeProvider.System.GetTimestamp();
            _ = await assistant.AskAsync(question.Question, options.TopResults, options.TokenBudget, cancellationToken).ConfigureAwait(false);
            secondPass.Add(TimeProvider.System.GetElapsedTime(started));
        }

        console.MarkupLine(CultureInfo.InvariantCulture, "[bold]Asked again:[/] the same {0} questions took {1} on average (first time {2}) — answered by the [[Cached]] methods.", questions.Count, SvgCharts.FormatMs(secondPass.Average(t => t.TotalMilliseconds)), SvgCharts.FormatMs(firstPass.Average(t => t.TotalMilliseconds)));
    }

    private static void WriteAnswer(IAnsiConsole console, AssistantAnswer answer, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "Score", "Conversation", "Role", "Text");
        for (var r = 0; r < answer.Results.Count; r++)
        {
            var result = answer.Results[r];
            var topic = result.Metadata.TryGetValue("topic", out var t) ? t : "?";
            table.AddRow(
                (r + 1).ToString(CultureInfo.InvariantCulture),
                result.Score.ToString("0.00", CultureInfo.InvariantCulture),
                Markup.Escape($"{result.ConversationId} ({topic})"),
                Markup.Escape(result.Role ?? string.Empty),
                Markup.Escape(Snippet(result.Content, 90)));
        }

        console.Write(table);
        console.MarkupLine(CultureInfo.InvariantCulture, "  results: {0}, best score {1:0.00} (relevance, 0 to 1); tool: {2}; answered in {3}", answer.Results.Count, answer.Results.Count > 0 ? answer.Results[0].Score : 0, Markup.Escape(answer.Tool.Name), SvgCharts.FormatMs(elapsed.TotalMilliseconds));
        console.MarkupLine(CultureInfo.InvariantCulture, "  context: {0}/{1} tokens ({2}); prompt: {3} tokens", answer.Context.Tokens, answer.Context.Budget, answer.Context.WithinBudget ? "[green]within budget[/]" : "[red]over budget[/]", answer.Prompt.Tokens);
        foreach (var line in answer.Context.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3))
        {
            console.MarkupLine($"  [grey]| {Markup.Escape(Snippet(line, 120))}[/]");
        }
    }

    private static async Task InteractiveAsync(IAnsiConsole console, AssistantService assistant, TextReader input, AssistantOptions options, CancellationToken cancellationToken)
    {
        console.WriteLine();
        console.Write(new Rule("[bold]Ask your own questions[/] (an empty line ends)").LeftJustified());
        while (true)
        {
            console.Markup("[bold blue]you>[/] ");
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line))
            {
                break;
            }

            if (!console.Profile.Capabilities.Interactive)
            {
                console.WriteLine(line);
            }

            var started = TimeProvider.System.GetTimestamp();
            var answer = await assistant.AskAsync(line, options.TopResults, options.TokenBudget, cancellationToken).ConfigureAwait(false);
            WriteAnswer(console, answer, TimeProvider.System.GetElapsedTime(started));
        }
    }

    private static void SimulatePressure(IAnsiConsole console, ResourceWatchdog watchdog, MemoryMonitor memory, AssistantOptions options)
    {
        const int blockSize = 16 * 1024 * 1024;
        console.WriteLine();
        console.Write(new Rule("[bold]Simulated memory pressure[/]").LeftJustified());
        var threshold = watchdog.MemoryAlertBytes;
        if (!options.Alerts.MemoryAlertExplicit)
        {
            // Without --memory-alert-mb, react 96 MB above the current heap so the simulation stays small.
            threshold = GC.GetTotalMemory(forceFullCollection: true) + (96L * 1024 * 1024);
            watchdog.MemoryAlertBytes = threshold;
        }

        console.MarkupLine(CultureInfo.InvariantCulture, "allocating 16 MB blocks until the memory monitor reacts (alert threshold {0:0} MB of managed heap) and its leak detection sees sustained growth...", threshold / 1048576.0);
        var alertsBefore = watchdog.Alerts.Count(a => a.Kind == AlertKind.MemoryUsage);
        var growthBefore = memory.GetAlerts().Count(a => a.Kind == ResourceAlertKind.MemoryGrowth);
        var ballast = new List<byte[]>();
        var maxBlocks = (int)Math.Min(512, (threshold / blockSize) + 8 + memory.Options.SustainedSamples);
        while ((watchdog.Alerts.Count(a => a.Kind == AlertKind.MemoryUsage) == alertsBefore || memory.GetAlerts().Count(a => a.Kind == ResourceAlertKind.MemoryGrowth) == growthBefore)
            && ballast.Count < maxBlocks)
        {
            var block = GC.AllocateUninitializedArray<byte>(blockSize);
            Array.Fill(block, (byte)ballast.Count);
            ballast.Add(block);
            watchdog.Sample();
        }

        var alert = watchdog.Alerts.LastOrDefault(a => a.Kind == AlertKind.MemoryUsage);
        if (alert?.Cleanup is not { } cleanup || watchdog.Alerts.Count(a => a.Kind == AlertKind.MemoryUsage) == alertsBefore)
        {
            console.MarkupLine($"[red]the monitor did not react after {ballast.Count} blocks[/]");
            return;
        }

        console.MarkupLine(CultureInfo.InvariantCulture, "the monitor reacted after {0} blocks ({1} MB): {2}", ballast.Count, ballast.Count * 16, Markup.Escape(cleanup.ToString()));
        var growth = memory.GetAlerts().LastOrDefault(a => a.Kind == ResourceAlertKind.MemoryGrowth);
        console.MarkupLine(memory.GetAlerts().Count(a => a.Kind == ResourceAlertKind.MemoryGrowth) > growthBefore && growth is not null
            ? $"the leak detection reacted: {Markup.Escape(growth.Message)}"
            : $"[red]the leak detection did not react after {ballast.Count} blocks[/]");
        var held = GC.GetTotalMemory(forceFullCollection: false);
        ballast.Clear();
        var released = MemoryMonitor.ForceGarbageCollection();
        watchdog.Sample();
        console.MarkupLine(CultureInfo.InvariantCulture, "released the simulated load: managed heap {0:0.0} MB -> {1:0.0} MB ({2:0.0} MB reclaimed by the collection)", held / 1048576.0, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, released / 1048576.0);
    }

    private static string Snippet(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max - 1), "…");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
