using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>What happens to a value right after it is produced (see <see cref="Ownership.FollowValue"/>).</summary>
internal enum ValueUseKind
{
    /// <summary>Ownership ends correctly or leaves our sight: disposed, returned, stored, handed to an owner, captured.</summary>
    Released,

    /// <summary>Assigned to a local that must be followed (<see cref="ValueUse.Local"/>).</summary>
    StoredInLocal,

    /// <summary>Thrown away as an expression statement or assigned to the discard <c>_</c>.</summary>
    Discarded,

    /// <summary>Used (member access, non-owning argument) and then lost.</summary>
    Used,
}

/// <summary>The outcome of following one value: its kind, the local it lands in, and the operation that consumed it.</summary>
internal readonly struct ValueUse
{
    /// <summary>Creates the outcome.</summary>
    public ValueUse(ValueUseKind kind, IOperation consumer, ILocalSymbol? local = null)
    {
        Kind = kind;
        Consumer = consumer;
        Local = local;
    }

    /// <summary>What happens to the value.</summary>
    public ValueUseKind Kind { get; }

    /// <summary>The operation that consumed the value (the assignment, argument, statement...).</summary>
    public IOperation Consumer { get; }

    /// <summary>The local the value was stored in, for <see cref="ValueUseKind.StoredInLocal"/>.</summary>
    public ILocalSymbol? Local { get; }
}
