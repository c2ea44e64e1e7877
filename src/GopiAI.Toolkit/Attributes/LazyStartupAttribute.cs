namespace GopiAI.Toolkit;

/// <summary>
/// Marks a <c>partial</c> class as an expensive component that is built on first use. The source generator adds a
/// thread-safe <c>static T Instance</c> property and registers the component with
/// <c>StartupOptimizer.Shared</c> from a module initializer (no reflection), so it appears in the startup
/// report with its load time.
/// </summary>
/// <remarks>
/// The class needs an accessible parameterless constructor and cannot be generic, abstract or static (GOPI0001, GOPI0009).
/// The component is registered under its full type name, for example <c>MyApp.EmbeddingModel</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LazyStartupAttribute : Attribute
{
    /// <summary>Gets or sets the warm-up priority: components with a higher value are warmed first. Default 0.</summary>
    public int Priority { get; set; }

    /// <summary>Gets or sets the <c>[LazyStartup]</c> components that must be built before this one.</summary>
    public Type[]? DependsOn { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the component is built in the background by
    /// <c>StartupOptimizer.InitializeApplicationAsync</c> instead of on first use.
    /// </summary>
    public bool Eager { get; set; }
}
