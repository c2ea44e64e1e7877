using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers;

/// <summary>
/// Every diagnostic the toolkit reports, in one place. IDs: GOPI0xxx usage of the toolkit's attributes,
/// GOPI1xxx disposal, GOPI2xxx unbounded growth. Each ID has a page at docs/rules/GOPInnnn.md.
/// </summary>
internal static class Descriptors
{
    internal const string UsageCategory = "GopiAI.Usage";
    internal const string DisposalCategory = "GopiAI.Disposal";
    internal const string GrowthCategory = "GopiAI.Growth";

    private const string HelpLinkBase = "https://github.com/gopiai/GopiAI.Toolkit/blob/main/docs/rules/";

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLinkBase + id + ".md", customTags);

    /// <summary>
    /// The same rule reported from a compilation-end action: the IDE computes <c>CompilationEnd</c> descriptors only in
    /// full analysis, so a rule that is live for facts local to a type and decided at compilation end for the rest
    /// has one descriptor for each (same ID, same text).
    /// </summary>
    private static DiagnosticDescriptor AtCompilationEnd(DiagnosticDescriptor live) =>
        new(live.Id, live.Title, live.MessageFormat, live.Category, live.DefaultSeverity, live.IsEnabledByDefault, live.Description, live.HelpLinkUri,
            System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Append(live.CustomTags, WellKnownDiagnosticTags.CompilationEnd)));

    // ---- GOPI0xxx: usage of [Cached], [Pooled], [LazyStartup], [Monitored] (owned by the generators work) ----

    internal static readonly DiagnosticDescriptor GOPI0001_NotPartial = Create(
        "GOPI0001",
        "Target of a toolkit attribute must be partial",
        "'{0}' must be declared partial for [{1}] to take effect",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The toolkit's generators add code to partial declarations. A [Cached] or [Monitored] method must be a partial method without a body, and the type carrying it (and every type containing that type) must be partial.");

    internal static readonly DiagnosticDescriptor GOPI0002_MissingCore = Create(
        "GOPI0002",
        "Core method is missing",
        "[{1}] method '{0}' needs a '{0}Core' method with the same parameters and return type",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The generated body of a [Cached] or [Monitored] partial method calls a user-written method named {Method}Core with the same parameters, return type and static-ness.");

    internal static readonly DiagnosticDescriptor GOPI0003_CoreMismatch = Create(
        "GOPI0003",
        "Core method does not match",
        "'{0}' must {1} like '{2}'",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The {Method}Core method must return the same type as the partial method and be static exactly when it is static.");

    internal static readonly DiagnosticDescriptor GOPI0004_UnsupportedMethod = Create(
        "GOPI0004",
        "Method is not supported by the attribute",
        "[{1}] cannot be used on '{0}': {2}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "[Cached] needs a result to cache (T, Task<T> or ValueTask<T>) and a class or static method; neither [Cached] nor [Monitored] supports generic methods, ref returns or partial methods that already have an implementation.");

    internal static readonly DiagnosticDescriptor GOPI0005_UnsupportedParameter = Create(
        "GOPI0005",
        "Parameter cannot be passed through",
        "Parameter '{0}' of '{1}' is {2}; the generated method cannot pass it through",
        UsageCategory,
        DiagnosticSeverity.Error,
        "ref, out and in parameters, ref struct parameters (Span<T>) and pointers cannot be stored in a cache key or passed through a generated wrapper.");

    internal static readonly DiagnosticDescriptor GOPI0006_KeyWithoutValueEquality = Create(
        "GOPI0006",
        "Cache key parameter compares by reference",
        "Parameter '{0}' is part of the cache key of '{1}', but '{2}' compares by reference, so equal arguments miss the cache",
        UsageCategory,
        DiagnosticSeverity.Warning,
        "Cache keys are compared with Equals. A class that neither is a record nor overrides Equals (or an array) compares by reference: every new argument object is a new key, the hit rate drops to zero and the cache fills with duplicates. Use a record or a type with value equality, or mark the parameter [NotCacheKey].");

    internal static readonly DiagnosticDescriptor GOPI0007_InvalidCacheOption = Create(
        "GOPI0007",
        "Invalid [Cached] option",
        "[Cached] on '{0}': {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The time to live must be greater than zero (TtlSeconds, or a Ttl TimeSpan string such as \"00:05:00\"), MaxSize cannot be negative and Cache cannot be blank.");

    internal static readonly DiagnosticDescriptor GOPI0008_NotPoolable = Create(
        "GOPI0008",
        "[Pooled] type cannot be pooled",
        "[Pooled] type '{0}' {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A [Pooled] class must be a non-abstract class with a parameterless constructor, and either a Reset() method or an implementation of IResettable so that returned objects are cleaned before reuse; MaxRetained must be positive.");

    internal static readonly DiagnosticDescriptor GOPI0009_UnsupportedLazyStartup = Create(
        "GOPI0009",
        "[LazyStartup] type is not supported",
        "'{0}' cannot be a [LazyStartup] component: {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A [LazyStartup] component is created by its parameterless constructor and registered from a module initializer, so it must be a non-generic, non-abstract class, public or internal (also its containing types), and DependsOn must list other [LazyStartup] types.");

    internal static readonly DiagnosticDescriptor GOPI0010_InvalidMonitoredOption = Create(
        "GOPI0010",
        "[Monitored] option has no effect",
        "[Monitored] on '{0}': {1}",
        UsageCategory,
        DiagnosticSeverity.Warning,
        "SlowThresholdMs cannot be negative, and a slow-call warning is only logged when the type has an ILogger field or property the method can reach.");

    internal static readonly DiagnosticDescriptor GOPI0011_UnserializableDistributedResult = Create(
        "GOPI0011",
        "Distributed [Cached] result cannot be serialized",
        "[Cached(Distributed = true)] on '{0}': the result cannot be serialized without reflection: {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A distributed method's result goes to Redis as JSON through metadata the generator writes. Supported: primitives, strings, enums, Guid, dates, nullable values, arrays, List<T>, IReadOnlyList<T>/IEnumerable<T>, Dictionary<string, T>, and non-abstract classes, records and structs whose public properties are settable or constructor parameters.");

    internal static readonly DiagnosticDescriptor GOPI0012_InvalidDistributedOption = Create(
        "GOPI0012",
        "Invalid distributed [Cached] option",
        "[Cached] on '{0}': {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "Tags apply only with Distributed = true; each tag is a constant or a template whose {placeholders} name key parameters; Distributed = true cannot be combined with Cache.");


    // ---- GOPI1xxx: disposal ----

    internal static readonly DiagnosticDescriptor GOPI1001_DisposableNotDisposed = Create(
        "GOPI1001",
        "Dispose created disposable",
        "'{0}' is created here but not disposed on every path, returned, or handed to an owner",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "A disposable created in a method must be disposed on every path, returned to the caller, stored in a field or collection that owns it, or passed to an object that takes ownership.");

    internal static readonly DiagnosticDescriptor GOPI1002_DisposableDiscarded = Create(
        "GOPI1002",
        "Created disposable is discarded",
        "The disposable '{0}' is created and immediately discarded",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "A disposable created as an expression statement or assigned to a discard can never be disposed.");

    internal static readonly DiagnosticDescriptor GOPI1003_OwnedMemberNotDisposed = Create(
        "GOPI1003",
        "Dispose owned member",
        "'{0}' owns the disposable member '{1}' but its Dispose does not dispose it",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "A type that created the value of a disposable field or property must dispose it from its Dispose or DisposeAsync method.");

    internal static readonly DiagnosticDescriptor GOPI1004_OwnerNotDisposable = Create(
        "GOPI1004",
        "Type owning disposables should be disposable",
        "'{0}' owns disposable members ({1}) but implements neither IDisposable nor IAsyncDisposable",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "A type that creates and keeps disposable values must implement IDisposable or IAsyncDisposable so that its owner can release them.");

    /// <summary>GOPI1003 for a member other types can reach, decided once the whole compilation is seen.</summary>
    internal static readonly DiagnosticDescriptor GOPI1003_OwnedMemberNotDisposedAtCompilationEnd = AtCompilationEnd(GOPI1003_OwnedMemberNotDisposed);

    /// <summary>GOPI1004 for a type with members other types can reach, decided once the whole compilation is seen.</summary>
    internal static readonly DiagnosticDescriptor GOPI1004_OwnerNotDisposableAtCompilationEnd = AtCompilationEnd(GOPI1004_OwnerNotDisposable);

    internal static readonly DiagnosticDescriptor GOPI1005_ReassignedWithoutDispose = Create(
        "GOPI1005",
        "Dispose before reassigning",
        "'{0}' is reassigned without disposing its previous value",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "Assigning a new value to an owned disposable field leaks the old value unless it is disposed first.");

    internal static readonly DiagnosticDescriptor GOPI1006_RentedNotReturned = Create(
        "GOPI1006",
        "Return rented object",
        "The object rented by '{0}' is not returned on every path",
        DisposalCategory,
        DiagnosticSeverity.Warning,
        "Objects rented from ArrayPool<T>, ObjectPool<T> or a [Pooled] type must be returned on every path; prefer a scoped lease.");

    // ---- GOPI2xxx: unbounded growth ----

    internal static readonly DiagnosticDescriptor GOPI2001_CollectionOnlyGrows = Create(
        "GOPI2001",
        "Long-lived collection only grows",
        "The collection '{0}' lives as long as the application and is added to but never removed from, cleared or bounded",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "A collection held by a static field or a long-lived service that is only ever added to grows for the life of the process.");

    /// <summary>GOPI2001 for facts that need the whole compilation (members other types reach, singleton registrations).</summary>
    internal static readonly DiagnosticDescriptor GOPI2001_CollectionOnlyGrowsAtCompilationEnd = AtCompilationEnd(GOPI2001_CollectionOnlyGrows);

    internal static readonly DiagnosticDescriptor GOPI2002_UnboundedMemoCache = Create(
        "GOPI2002",
        "Dictionary used as a cache without eviction",
        "'{0}' is used as a cache but nothing ever evicts from it",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "A dictionary that memoises results keyed by method arguments, in a long-lived field, grows without limit. Use LruCache with a capacity or a [Cached] method.");

    /// <summary>GOPI2002 for facts that need the whole compilation (members other types reach, singleton registrations).</summary>
    internal static readonly DiagnosticDescriptor GOPI2002_UnboundedMemoCacheAtCompilationEnd = AtCompilationEnd(GOPI2002_UnboundedMemoCache);

    internal static readonly DiagnosticDescriptor GOPI2003_EventNeverUnsubscribed = Create(
        "GOPI2003",
        "Unsubscribe from longer-lived event",
        "'{0}' subscribes to '{1}' of a longer-lived object and never unsubscribes",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "An event subscription keeps the subscriber alive for as long as the publisher lives. Remove the handler in Dispose.");

    internal static readonly DiagnosticDescriptor GOPI2004_DisposablesInCollectionNotDisposed = Create(
        "GOPI2004",
        "Dispose items held in a collection",
        "The disposable items in '{0}' are never disposed when removed, cleared, or when the owner is disposed",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "A collection field that holds disposables owns them: dispose each item when it is removed, on Clear, and when the owner is disposed.");

    /// <summary>GOPI2004 for facts that need the whole compilation (members other types reach, singleton registrations).</summary>
    internal static readonly DiagnosticDescriptor GOPI2004_DisposablesInCollectionNotDisposedAtCompilationEnd = AtCompilationEnd(GOPI2004_DisposablesInCollectionNotDisposed);

    internal static readonly DiagnosticDescriptor GOPI2005_UnboundedProducerQueue = Create(
        "GOPI2005",
        "Unbounded producer queue in a long-lived type",
        "'{0}' is an unbounded queue in a long-lived type; a slow consumer lets it grow without limit",
        GrowthCategory,
        DiagnosticSeverity.Info,
        "Prefer Channel.CreateBounded, a bounded BlockingCollection, or a capacity check before enqueueing.");

    /// <summary>GOPI2005 for facts that need the whole compilation (members other types reach, singleton registrations).</summary>
    internal static readonly DiagnosticDescriptor GOPI2005_UnboundedProducerQueueAtCompilationEnd = AtCompilationEnd(GOPI2005_UnboundedProducerQueue);
}
