namespace GopiAI.Toolkit.Generators.Common.Models;

/// <summary>How a pooled object is reset before reuse.</summary>
internal enum ResetKind
{
    ResetMethod,
    Resettable,
}

/// <summary>A <c>[Pooled]</c> class.</summary>
internal sealed record PooledModel(TypeModel Type, int MaxRetained, ResetKind Reset);

/// <summary>A <c>[LazyStartup]</c> class.</summary>
/// <param name="ComponentName">The name the component is registered under (its full type name).</param>
/// <param name="DependsOn">Component names of the dependencies.</param>
internal sealed record LazyStartupModel(TypeModel Type, string ComponentName, int Priority, EquatableArray<string> DependsOn, bool Eager);
