namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>How <see cref="SearchMode.Hybrid"/> combines its dense and keyword legs.</summary>
public enum HybridFusion
{
    /// <summary>
    /// Convex combination of the two legs' normalised scores (Bruch et al., "An Analysis of Fusion Functions for Hybrid
    /// Retrieval", TOIS 2023), with a keyword weight per query that shrinks as the dense leg grows sure of its favourite
    /// (its first hit's lead over its second), its constants fitted on the evaluation sets' tuning halves. The default.
    /// </summary>
    Convex = 0,

    /// <summary>Reciprocal rank fusion, Σ 1/(60 + rank) over the legs, scaled to [0, 1] by its maximum (rank 1 in both legs).</summary>
    ReciprocalRank = 1,
}
