using System.Collections.Generic;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// What the compilation does with one collection field (or auto-property): where it grows, whether anything ever
/// removes from it, bounds it, replaces it or lets it escape. Filled concurrently by operation actions; read at
/// compilation end.
/// </summary>
internal sealed class CollectionFieldFacts
{
    private readonly object _gate = new();
    private readonly List<Location> _growth = [];
    private readonly List<Location> _undisposedRemovals = [];
    private readonly List<Location> _unboundedCreations = [];
    private bool _created;
    private bool _reset;
    private bool _escapes;
    private bool _capacityChecked;
    private bool _removed;
    private bool _memoGrowth;
    private bool _itemsDisposed;
    private bool _holdsCreatedItems;

    public CollectionFieldFacts(ISymbol storage, ITypeSymbol type, CollectionKind kind)
    {
        Storage = storage;
        Type = type;
        Kind = kind;
    }

    /// <summary>Gets the field or auto-property.</summary>
    public ISymbol Storage { get; }

    /// <summary>Gets the declared collection type.</summary>
    public ITypeSymbol Type { get; }

    /// <summary>Gets the collection's shape.</summary>
    public CollectionKind Kind { get; }

    /// <summary>Gets whether the declaring type creates the collection itself (initializer, constructor, <c>??=</c>).</summary>
    public bool Created { get { lock (_gate) { return _created; } } }

    /// <summary>Gets whether the field is assigned a new collection outside its constructor (a reset bounds it).</summary>
    public bool Reset { get { lock (_gate) { return _reset; } } }

    /// <summary>Gets whether the collection is handed out mutable (argument, alias, return) so others may shrink it.</summary>
    public bool Escapes { get { lock (_gate) { return _escapes; } } }

    /// <summary>Gets whether its count is compared with a bound anywhere.</summary>
    public bool CapacityChecked { get { lock (_gate) { return _capacityChecked; } } }

    /// <summary>Gets whether anything removes from, takes from or clears it.</summary>
    public bool Removed { get { lock (_gate) { return _removed; } } }

    /// <summary>Gets whether any growth outside the constructor memoises a result keyed by method arguments.</summary>
    public bool MemoGrowth { get { lock (_gate) { return _memoGrowth; } } }

    /// <summary>Gets whether some loop (or <c>ForEach</c>, or element access) disposes its items.</summary>
    public bool ItemsDisposed { get { lock (_gate) { return _itemsDisposed; } } }

    /// <summary>Gets whether the declaring code adds values it created itself.</summary>
    public bool HoldsCreatedItems { get { lock (_gate) { return _holdsCreatedItems; } } }

    /// <summary>Gets the places it grows outside its constructor and initializer.</summary>
    public ImmutableArray<Location> Growth { get { lock (_gate) { return [.. _growth]; } } }

    /// <summary>Gets the removals that drop disposable items without disposing them.</summary>
    public ImmutableArray<Location> UndisposedRemovals { get { lock (_gate) { return [.. _undisposedRemovals]; } } }

    /// <summary>Gets where an unbounded channel or blocking collection is created for the field.</summary>
    public ImmutableArray<Location> UnboundedCreations { get { lock (_gate) { return [.. _unboundedCreations]; } } }

    public void MarkCreated() { lock (_gate) { _created = true; } }

    public void MarkReset() { lock (_gate) { _reset = true; } }

    public void MarkEscapes() { lock (_gate) { _escapes = true; } }

    public void MarkCapacityChecked() { lock (_gate) { _capacityChecked = true; } }

    public void MarkRemoved() { lock (_gate) { _removed = true; } }

    public void MarkItemsDisposed() { lock (_gate) { _itemsDisposed = true; } }

    public void MarkHoldsCreatedItems() { lock (_gate) { _holdsCreatedItems = true; } }

    public void AddGrowth(Location location, bool memo)
    {
        lock (_gate)
        {
            _growth.Add(location);
            _memoGrowth |= memo;
        }
    }

    public void AddUndisposedRemoval(Location location) { lock (_gate) { _undisposedRemovals.Add(location); } }

    public void AddUnboundedCreation(Location location) { lock (_gate) { _unboundedCreations.Add(location); } }

    /// <summary>
    /// Whether the collection only grows: created here, grown outside its constructor, and never removed from,
    /// cleared, reset, capacity-checked or handed out mutable.
    /// </summary>
    public bool OnlyGrows()
    {
        lock (_gate)
        {
            return _created && !_reset && !_escapes && !_capacityChecked && !_removed && _growth.Count > 0;
        }
    }
}
