using System.Collections.Immutable;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>Syntax facts shared by the usage analyzers and the code fixes.</summary>
internal static class UsageSyntax
{
    /// <summary>Properties key telling the GOPI0001 fix what to change.</summary>
    public const string FixKind = "GopiFixKind";

    public const string FixMethodToPartial = "MethodToPartial";

    public const string FixTypesPartial = "TypesPartial";

    public static ImmutableDictionary<string, string?> Properties(string fixKind) =>
        ImmutableDictionary<string, string?>.Empty.Add(FixKind, fixKind);
}
