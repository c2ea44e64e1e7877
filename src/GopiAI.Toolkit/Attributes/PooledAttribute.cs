namespace GopiAI.Toolkit;

/// <summary>
/// Pools instances of a <c>partial</c> class. The source generator adds <c>static T Rent()</c>, <c>static void Return(T)</c>
/// and <c>static PooledLease&lt;T&gt; RentScoped()</c> (a <c>ref struct</c> that returns the object when disposed), backed by
/// <c>PoolFactory</c> and Microsoft.Extensions.ObjectPool.
/// </summary>
/// <remarks>
/// The class needs an accessible parameterless constructor and either a <c>Reset()</c> method or an implementation of
/// <c>Microsoft.Extensions.ObjectPool.IResettable</c>; returned objects are reset before they are handed out again.
/// GOPI0001 and GOPI0008 report misuse at compile time.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PooledAttribute : Attribute
{
    /// <summary>Gets or sets how many idle objects the pool keeps; returns beyond that are dropped. Default 100.</summary>
    public int MaxRetained { get; set; } = 100;
}
