namespace GopiAI.Toolkit.Generators.Tests.Infrastructure;

/// <summary>
/// Compile-and-run tests share process-wide runtime singletons (CacheManager.Shared.TimeProvider, StartupOptimizer.Shared,
/// ApiPerformanceMonitor.Shared), so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunCollection
{
    public const string Name = "Generated code runs";
}
