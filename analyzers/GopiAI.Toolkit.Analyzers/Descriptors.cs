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

    // ---- GOPI0xxx: usage of [Cached], [Pooled], [LazyStartup], [Monitored] (owned by the generators work) ----

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
        "A collection held by a static field or a long-lived service that is only ever added to grows for the life of the process.",
        WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor GOPI2002_UnboundedMemoCache = Create(
        "GOPI2002",
        "Dictionary used as a cache without eviction",
        "'{0}' is used as a cache but nothing ever evicts from it",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "A dictionary that memoises results keyed by method arguments, in a long-lived field, grows without limit. Use LruCache with a capacity or a [Cached] method.",
        WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor GOPI2003_EventNeverUnsubscribed = Create(
        "GOPI2003",
        "Unsubscribe from longer-lived event",
        "'{0}' subscribes to '{1}' of a longer-lived object and never unsubscribes",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "An event subscription keeps the subscriber alive for as long as the publisher lives. Remove the handler in Dispose.",
        WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor GOPI2004_DisposablesInCollectionNotDisposed = Create(
        "GOPI2004",
        "Dispose items held in a collection",
        "The disposable items in '{0}' are never disposed when removed, cleared, or when the owner is disposed",
        GrowthCategory,
        DiagnosticSeverity.Warning,
        "A collection field that holds disposables owns them: dispose each item when it is removed, on Clear, and when the owner is disposed.",
        WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor GOPI2005_UnboundedProducerQueue = Create(
        "GOPI2005",
        "Unbounded producer queue in a long-lived type",
        "'{0}' is an unbounded queue in a long-lived type; a slow consumer lets it grow without limit",
        GrowthCategory,
        DiagnosticSeverity.Info,
        "Prefer Channel.CreateBounded, a bounded BlockingCollection, or a capacity check before enqueueing.",
        WellKnownDiagnosticTags.CompilationEnd);
}
