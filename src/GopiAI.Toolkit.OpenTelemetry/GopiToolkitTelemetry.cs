namespace GopiAI.Toolkit.OpenTelemetry;

/// <summary>
/// The names under which GopiAI.Toolkit publishes telemetry, for OpenTelemetry (<c>AddGopiToolkitInstrumentation()</c>),
/// <c>dotnet-counters</c> (<c>--counters</c>) or a <see cref="System.Diagnostics.Metrics.MeterListener"/> of your own.
/// docs/observability.md lists every instrument with its unit and tags.
/// </summary>
public static class GopiToolkitTelemetry
{
    /// <summary>
    /// The wildcard that matches every meter and activity source of the toolkit, including those of packages and versions
    /// newer than this list (<c>GopiAI.Toolkit.*</c>; OpenTelemetry's <c>AddMeter</c>/<c>AddSource</c> accept wildcards).
    /// </summary>
    public const string NamePattern = "GopiAI.Toolkit.*";

    /// <summary>Gets the meters of the toolkit: caching, pooling, memory, monitoring, rate limiting and semantic memory.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
    [
        ToolkitInfo.CachingMeterName,
        ToolkitInfo.PoolingMeterName,
        ToolkitInfo.MemoryMeterName,
        ToolkitInfo.MonitoringMeterName,
        ToolkitInfo.RateLimitingMeterName,
        ToolkitInfo.SemanticMemoryMeterName,
    ];

    /// <summary>Gets the activity sources of the toolkit: the <c>[Monitored]</c> calls (<c>MonitoredScope</c>).</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } =
    [
        ToolkitInfo.MonitoringMeterName,
    ];
}
