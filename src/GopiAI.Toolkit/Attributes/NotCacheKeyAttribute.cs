namespace GopiAI.Toolkit;

/// <summary>
/// Leaves a parameter of a <see cref="CachedAttribute"/> method out of the cache key. The argument is still passed to the
/// <c>{Method}Core</c> method, but calls that differ only in this argument share one cache entry.
/// <see cref="CancellationToken"/> parameters are left out automatically.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotCacheKeyAttribute : Attribute
{
}
