using GopiAI.Toolkit.OpenTelemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Adds the GopiAI.Toolkit meters to an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class GopiToolkitMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes the meter provider to every meter of GopiAI.Toolkit (<see cref="GopiToolkitTelemetry.MeterNames"/>, and
    /// <see cref="GopiToolkitTelemetry.NamePattern"/> for meters added later): cache hits, misses, evictions and size
    /// (tag <c>cache.name</c>), pool counts (<c>pool.name</c>), memory gauges, the <c>gopi.call.duration</c> histogram
    /// of <c>[Monitored]</c> calls (<c>endpoint</c>, <c>outcome</c>, <c>cache.hit</c>), unusual-usage alerts
    /// (<c>gopi.alerts</c>) and rate-limiter decisions (<c>gopi.rate_limit.requests</c>).
    /// <code>builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddGopiToolkitInstrumentation());</code>
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddGopiToolkitInstrumentation(this MeterProviderBuilder builder)
    {
        GopiAI.Toolkit.Throw.IfNull(builder);
        return builder.AddMeter([.. GopiToolkitTelemetry.MeterNames, GopiToolkitTelemetry.NamePattern]);
    }
}
