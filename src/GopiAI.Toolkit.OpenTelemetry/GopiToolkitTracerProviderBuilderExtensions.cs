using GopiAI.Toolkit.OpenTelemetry;

namespace OpenTelemetry.Trace;

/// <summary>Adds the GopiAI.Toolkit activity sources to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class GopiToolkitTracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes the tracer provider to every activity source of GopiAI.Toolkit
    /// (<see cref="GopiToolkitTelemetry.ActivitySourceNames"/>, and <see cref="GopiToolkitTelemetry.NamePattern"/> for sources
    /// added later): one span per <c>[Monitored]</c> call, named after its endpoint, with status and <c>cache.hit</c>.
    /// Without a listener the toolkit starts no activity at all.
    /// <code>builder.Services.AddOpenTelemetry().WithTracing(t => t.AddGopiToolkitInstrumentation());</code>
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddGopiToolkitInstrumentation(this TracerProviderBuilder builder)
    {
        GopiAI.Toolkit.Throw.IfNull(builder);
        return builder.AddSource([.. GopiToolkitTelemetry.ActivitySourceNames, GopiToolkitTelemetry.NamePattern]);
    }
}
