using GopiAI.Toolkit.Samples.Assistant.Reporting;
using GopiAI.Toolkit.Startup;

namespace GopiAI.Toolkit.Samples.Assistant.Monitoring;

/// <summary>
/// Builds the spans of the startup timeline: the optimizer's tasks and components where its report says they started
/// (<see cref="StartupTaskReport.StartedAt"/>, <see cref="ComponentReport.StartedAt"/>), plus the application's own phases
/// (such as ingestion) measured here and moved onto the optimizer's clock. It also relays the optimizer's progress reports
/// to a progress display, and keeps their times as a fallback for steps the report has no start for.
/// </summary>
public sealed class StartupTimelineRecorder : IProgress<StartupProgress>
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TimeSpan Start, TimeSpan? End)> _steps = new(StringComparer.Ordinal);
    private readonly List<StartupSpan> _phases = [];
    private TimeSpan? _initializationStart;

    /// <summary>Initializes a new instance of the <see cref="StartupTimelineRecorder"/> class.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="origin">The timestamp (from <paramref name="time"/>) that offsets are measured from.</param>
    public StartupTimelineRecorder(TimeProvider time, long origin)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _origin = origin;
    }

    /// <summary>Raised after every progress report, for a progress display.</summary>
    public event EventHandler<StartupProgress>? Progressed;

    /// <summary>Gets the time elapsed since the origin.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Notes that <see cref="StartupOptimizer.InitializeApplicationAsync"/> is about to start, to line the clocks up.</summary>
    public void MarkInitializationStart()
    {
        lock (_gate)
        {
            _initializationStart = Now;
        }
    }

    /// <inheritdoc/>
    public void Report(StartupProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.CurrentTask is { } name)
        {
            var now = Now;
            lock (_gate)
            {
                if (!_steps.TryGetValue(name, out var step))
                {
                    _steps[name] = (now, value.Status == StartupStepStatus.Running ? null : now);
                }
                else if (value.Status != StartupStepStatus.Running)
                {
                    _steps[name] = (step.Start, now);
                }
            }
        }

        Progressed?.Invoke(this, value);
    }

    /// <summary>Runs <paramref name="phase"/> and records it as a span of the timeline.</summary>
    /// <typeparam name="T">The phase's result.</typeparam>
    /// <param name="name">The span's name.</param>
    /// <param name="phase">The work.</param>
    /// <returns>The phase's result.</returns>
    public async Task<T> MeasureAsync<T>(string name, Func<Task<T>> phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        var start = Now;
        try
        {
            return await phase().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _phases.Add(new StartupSpan(name, "phase", start, Now - start));
            }
        }
    }

    /// <summary>Builds the timeline from the optimizer's report and the recorded times.</summary>
    /// <param name="report">The optimizer's startup report.</param>
    /// <returns>The spans, in start order.</returns>
    public IReadOnlyList<StartupSpan> BuildSpans(StartupReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var spans = new List<StartupSpan>();
        lock (_gate)
        {
            // Offsets here are from this recorder's origin; the report's are from the optimizer's creation.
            var shift = report.InitializationStartedAt is { } optimizerStart && _initializationStart is { } ourStart ? optimizerStart - ourStart : TimeSpan.Zero;
            foreach (var task in report.Tasks.Where(t => t.Status != StartupStepStatus.Pending))
            {
                spans.Add(Span(task.Name, "task", task.Duration, task.StartedAt, shift));
            }

            foreach (var component in report.Components.Where(c => c.LoadTime is not null))
            {
                spans.Add(Span(component.Name, "component", component.LoadTime!.Value, component.StartedAt, shift));
            }

            spans.AddRange(_phases.Select(p => p with { Start = p.Start + shift }));
        }

        return [.. spans.OrderBy(s => s.Start)];
    }

    private StartupSpan Span(string name, string kind, TimeSpan duration, TimeSpan? startedAt, TimeSpan shift)
    {
        var shortName = name.StartsWith("GopiAI.Toolkit.Samples.Assistant.", StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : name;
        if (startedAt is { } start)
        {
            return new StartupSpan(shortName, kind, start, duration);
        }

        var key = _steps.Keys.FirstOrDefault(k => k == name || k.EndsWith(name, StringComparison.Ordinal) || name.EndsWith(k, StringComparison.Ordinal));
        if (key is not null)
        {
            var (reported, _) = _steps[key];
            return new StartupSpan(shortName, kind, reported + shift, duration);
        }

        return new StartupSpan(shortName, kind, shift, duration);
    }
}
