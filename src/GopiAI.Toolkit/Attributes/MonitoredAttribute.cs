namespace GopiAI.Toolkit;

/// <summary>
/// Times a <c>partial</c> method, or every eligible partial method of a <c>partial</c> class. The source generator writes a
/// body that starts a <c>MonitoredScope</c>, calls the user-written <c>{Method}Core</c> method and stops
/// the scope when the call completes: for asynchronous methods, when the returned task completes. Durations and outcomes go
/// to the <c>GopiAI.Toolkit.Monitoring</c> meter and <c>ApiPerformanceMonitor.Shared</c>.
/// </summary>
/// <remarks>
/// Combined with <see cref="CachedAttribute"/> on the same method the monitor is outermost and records cache hits as such.
/// On a class, the attribute applies to every partial method without an implementation that has a matching
/// <c>{Method}Core</c> method; a method-level attribute overrides it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MonitoredAttribute : Attribute
{
    /// <summary>Gets or sets the endpoint name recorded for the method. Default <c>Type.Method</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets a duration in milliseconds above which a call is logged as a warning through the type's
    /// <c>ILogger</c> field or property, when it has one. 0 (the default) disables the warning.
    /// </summary>
    public int SlowThresholdMs { get; set; }
}
