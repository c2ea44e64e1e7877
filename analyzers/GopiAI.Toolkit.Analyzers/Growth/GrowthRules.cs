using GopiAI.Toolkit.Analyzers.Common;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>Decisions shared by the growth rules, so that GOPI2001 and GOPI2002 never report the same field twice.</summary>
internal static class GrowthRules
{
    /// <summary>
    /// Whether a set or dictionary is bounded by its key type (enum, bool, <c>Type</c>, reflection members): such a
    /// cache holds at most one entry per member of a finite domain.
    /// </summary>
    public static bool IsBoundedByKey(KnownTypes types, CollectionFieldFacts facts) =>
        KnownTypes.KeyType(facts.Type, facts.Kind) is { } key && types.IsFiniteKey(key);

    /// <summary>The diagnostic property naming the collection's shape, for the GOPI2001 code fix.</summary>
    public const string KindProperty = "Kind";

    /// <summary>Diagnostic properties describing the collection (its <see cref="CollectionKind"/>).</summary>
    public static System.Collections.Immutable.ImmutableDictionary<string, string?> Properties(CollectionFieldFacts facts) =>
        System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add(KindProperty, facts.Kind.ToString());
}
