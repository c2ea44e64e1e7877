namespace GopiAI.Toolkit.Generators.Common;

/// <summary>Names of the tracked pipeline steps, used by the incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string CachedMethods = nameof(CachedMethods);
    public const string MonitoredMethods = nameof(MonitoredMethods);
    public const string MonitoredTypes = nameof(MonitoredTypes);
    public const string PooledTypes = nameof(PooledTypes);
    public const string LazyStartupTypes = nameof(LazyStartupTypes);
    public const string LazyStartupRegistry = nameof(LazyStartupRegistry);
}
