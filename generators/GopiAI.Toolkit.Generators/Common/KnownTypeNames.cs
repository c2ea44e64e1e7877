namespace GopiAI.Toolkit.Generators.Common;

/// <summary>Metadata names of the attributes and runtime types the generators look for or emit.</summary>
internal static class KnownTypeNames
{
    public const string CachedAttribute = "GopiAI.Toolkit.CachedAttribute";
    public const string NotCacheKeyAttribute = "GopiAI.Toolkit.NotCacheKeyAttribute";
    public const string PooledAttribute = "GopiAI.Toolkit.PooledAttribute";
    public const string LazyStartupAttribute = "GopiAI.Toolkit.LazyStartupAttribute";
    public const string MonitoredAttribute = "GopiAI.Toolkit.MonitoredAttribute";

    public const string ILogger = "Microsoft.Extensions.Logging.ILogger";
    public const string IResettable = "Microsoft.Extensions.ObjectPool.IResettable";
    public const string IServiceCollection = "Microsoft.Extensions.DependencyInjection.IServiceCollection";

    // Fully qualified names used in generated code.
    public const string LruCache = "global::GopiAI.Toolkit.Caching.LruCache";
    public const string LruCacheOptions = "global::GopiAI.Toolkit.Caching.LruCacheOptions";
    public const string CacheManager = "global::GopiAI.Toolkit.Caching.CacheManager";
    public const string MonitoredScope = "global::GopiAI.Toolkit.Monitoring.MonitoredScope";
    public const string PoolFactory = "global::GopiAI.Toolkit.Pooling.PoolFactory";
    public const string PooledLease = "global::GopiAI.Toolkit.Pooling.PooledLease";
    public const string ObjectPool = "global::Microsoft.Extensions.ObjectPool.ObjectPool";
    public const string StartupOptimizer = "global::GopiAI.Toolkit.Startup.StartupOptimizer";
    public const string LazyLoaderOptions = "global::GopiAI.Toolkit.Startup.LazyLoaderOptions";
    public const string ILoggerGlobal = "global::Microsoft.Extensions.Logging.ILogger";
    public const string LoggerMessage = "global::Microsoft.Extensions.Logging.LoggerMessage";
    public const string LogLevel = "global::Microsoft.Extensions.Logging.LogLevel";
    public const string EventId = "global::Microsoft.Extensions.Logging.EventId";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCodeAttribute";
    public const string Task = "global::System.Threading.Tasks.Task";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    public const string TimeSpan = "global::System.TimeSpan";
    public const string Interlocked = "global::System.Threading.Interlocked";
    public const string Volatile = "global::System.Threading.Volatile";

    public const string GeneratorName = "GopiAI.Toolkit.Generators";

    /// <summary>The generator's version as the assembly carries it (major.minor.build), so generated code never lies about it.</summary>
    public static readonly string GeneratorVersion = typeof(KnownTypeNames).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static readonly string GeneratedCodeAttributeLine = "[" + GeneratedCode + "(\"" + GeneratorName + "\", \"" + GeneratorVersion + "\")]";
}
