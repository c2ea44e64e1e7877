namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>Decisions shared by the growth rules, so that GOPI2001 and GOPI2002 never report the same field twice.</summary>
internal static class GrowthRules
{
    /// <summary>
    /// Whether a set or dictionary is bounded by its key type (enum, bool, <c>Type</c>, reflection members): such a
    /// cache holds at most one entry per member of a finite domain.
    /// </summary>
    public static bool IsBoundedByKey(GrowthKnownTypes types, CollectionFieldFacts facts) =>
        GrowthKnownTypes.KeyType(facts.Type, facts.Kind) is { } key && types.IsFiniteKey(key);
}
