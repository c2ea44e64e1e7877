namespace GopiAI.Toolkit.Startup;

/// <summary>How a component registered with <see cref="StartupOptimizer.RegisterLazyLoader{T}(string, Func{T}, LazyLoaderOptions?)"/> is loaded.</summary>
public sealed class LazyLoaderOptions
{
    /// <summary>Gets or sets the start order among steps that are ready at the same time during <see cref="StartupOptimizer.InitializeApplicationAsync"/>: higher starts first (default 0).</summary>
    public int Priority { get; set; }

    /// <summary>Gets or sets the components (loaded first) or startup tasks (which must have completed) this component needs. Default empty.</summary>
    public IReadOnlyList<string> DependsOn { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether <see cref="StartupOptimizer.InitializeApplicationAsync"/> loads the component up front instead of on first use.</summary>
    public bool Eager { get; set; }
}

/// <summary>A unit of work run by <see cref="StartupOptimizer.InitializeApplicationAsync"/> once its dependencies have completed.</summary>
public sealed class StartupTask
{
    /// <summary>Creates a task.</summary>
    /// <param name="name">A unique name (shared namespace with components).</param>
    /// <param name="run">The work; it receives a token that is cancelled when startup is cancelled or another task fails.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public StartupTask(string name, Func<CancellationToken, Task> run)
    {
        Name = Throw.IfNullOrWhiteSpace(name);
        Run = Throw.IfNull(run);
    }

    /// <summary>Gets the task name.</summary>
    public string Name { get; }

    /// <summary>Gets the work.</summary>
    public Func<CancellationToken, Task> Run { get; }

    /// <summary>Gets the start order among tasks that are ready at the same time: higher starts first (default 0).</summary>
    public int Priority { get; init; }

    /// <summary>Gets the names of tasks or components that must complete before this task starts. Default empty.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
}

/// <summary>Settings of a <see cref="StartupOptimizer"/>.</summary>
public sealed class StartupOptimizerOptions
{
    /// <summary>Gets or sets how many startup steps may run at once (default: the processor count, at least 2).</summary>
    public int MaxDegreeOfParallelism { get; set; } = Math.Max(2, Environment.ProcessorCount);
}

/// <summary>Progress of <see cref="StartupOptimizer.InitializeApplicationAsync"/>, reported when a step starts or finishes.</summary>
/// <param name="Completed">Steps finished successfully so far.</param>
/// <param name="Total">Steps in this run.</param>
/// <param name="CurrentTask">The step that just started or finished.</param>
/// <param name="Status">What happened to <paramref name="CurrentTask"/>.</param>
/// <param name="Elapsed">Time since the run began.</param>
public sealed record StartupProgress(int Completed, int Total, string? CurrentTask, StartupStepStatus Status, TimeSpan Elapsed)
{
    /// <summary>Gets <see cref="Completed"/> / <see cref="Total"/> in [0, 1] (1 when there is nothing to do).</summary>
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;
}

/// <summary>The state of a startup step.</summary>
public enum StartupStepStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Running now.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Threw an exception.</summary>
    Failed,

    /// <summary>Not started because another step failed or startup was cancelled.</summary>
    Skipped,

    /// <summary>Cancelled while running.</summary>
    Cancelled,
}

/// <summary>One startup task in a <see cref="StartupReport"/>.</summary>
/// <param name="Name">The task name.</param>
/// <param name="Status">Its state.</param>
/// <param name="Duration">How long it ran (zero if it did not run).</param>
/// <param name="Priority">Its priority.</param>
/// <param name="DependsOn">Its dependencies.</param>
/// <param name="Error">The failure message, if it failed.</param>
/// <param name="StartedAt">When it last started, as an offset from the optimizer's creation; <see langword="null"/> if it never ran.</param>
public sealed record StartupTaskReport(string Name, StartupStepStatus Status, TimeSpan Duration, int Priority, IReadOnlyList<string> DependsOn, string? Error, TimeSpan? StartedAt = null);

/// <summary>One lazily loaded component in a <see cref="StartupReport"/>.</summary>
/// <param name="Name">The component name.</param>
/// <param name="ComponentType">The registered type.</param>
/// <param name="Loaded">Whether it has been loaded.</param>
/// <param name="LoadTime">How long loading took (including its dependencies' wait), if loaded.</param>
/// <param name="Eager">Whether it loads during startup.</param>
/// <param name="Error">The last load failure, if any.</param>
/// <param name="StartedAt">When its (last) load started, as an offset from the optimizer's creation; <see langword="null"/> if never.</param>
public sealed record ComponentReport(string Name, Type ComponentType, bool Loaded, TimeSpan? LoadTime, bool Eager, string? Error, TimeSpan? StartedAt = null);

/// <summary>Every startup task and component with its timing, from <see cref="StartupOptimizer.GetStartupReport"/>.</summary>
/// <param name="Tasks">The startup tasks, in registration order.</param>
/// <param name="Components">The components, in registration order.</param>
/// <param name="TotalElapsed">Duration of the last <see cref="StartupOptimizer.InitializeApplicationAsync"/> run.</param>
/// <param name="InitializationStartedAt">When that run started, as an offset from the optimizer's creation; <see langword="null"/> if it never ran.</param>
public sealed record StartupReport(IReadOnlyList<StartupTaskReport> Tasks, IReadOnlyList<ComponentReport> Components, TimeSpan TotalElapsed, TimeSpan? InitializationStartedAt = null)
{
    /// <summary>Formats the report as a plain-text table.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"Startup took {TotalElapsed.TotalMilliseconds:0.0} ms").AppendLine();
        foreach (var t in Tasks)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  task      {t.Name,-28} {t.Status,-10} {t.Duration.TotalMilliseconds,9:0.0} ms");
            if (t.Error is not null)
            {
                sb.Append("  ").Append(t.Error);
            }

            sb.AppendLine();
        }

        foreach (var c in Components)
        {
            var state = c.Loaded ? "loaded" : c.Error is not null ? "failed" : "not loaded";
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  component {c.Name,-28} {state,-10} {(c.LoadTime ?? TimeSpan.Zero).TotalMilliseconds,9:0.0} ms{(c.Eager ? "  (eager)" : string.Empty)}").AppendLine();
        }

        return sb.ToString();
    }
}

/// <summary>Thrown by <see cref="StartupOptimizer.InitializeApplicationAsync"/> when a startup step fails: names the failed step and what was skipped because of it.</summary>
public sealed class StartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failedTask">The first step that failed.</param>
    /// <param name="skippedTasks">Steps that did not run.</param>
    /// <param name="innerException">The failure.</param>
    public StartupException(string failedTask, IReadOnlyList<string> skippedTasks, Exception innerException)
        : base(BuildMessage(failedTask, skippedTasks, innerException), innerException)
    {
        FailedTask = failedTask;
        SkippedTasks = skippedTasks;
    }

    /// <summary>Creates the exception with a message.</summary>
    public StartupException()
        : this("(unknown)", [], new InvalidOperationException("Startup failed."))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StartupException(string message)
        : base(message)
    {
        FailedTask = "(unknown)";
        SkippedTasks = [];
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
        FailedTask = "(unknown)";
        SkippedTasks = [];
    }

    /// <summary>Gets the name of the first step that failed.</summary>
    public string FailedTask { get; }

    /// <summary>Gets the names of steps that did not run because of the failure.</summary>
    public IReadOnlyList<string> SkippedTasks { get; }

    private static string BuildMessage(string failedTask, IReadOnlyList<string> skipped, Exception inner) =>
        $"Startup task '{failedTask}' failed: {inner.Message}" +
        (skipped.Count == 0 ? " No other task was skipped." : $" Skipped because of it: {string.Join(", ", skipped.Select(s => $"'{s}'"))}.");
}
