using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class KeywordWeightTests
{
    // The dense leg of a query the model reads well: one clear favourite.
    private static readonly ScoredRow[] SureDense = [new(1, 0.80), new(2, 0.59), new(3, 0.40)];

    // The dense leg of a query the model cannot separate (a rare code, a name): a flat top.
    private static readonly ScoredRow[] FlatDense = [new(1, 0.60), new(2, 0.59), new(3, 0.58)];

    [Theory]
    [InlineData("ERR_CONN_4471", true)]
    [InlineData("P0420", true)]
    [InlineData("user.id", true)]
    [InlineData("137?", true)]
    [InlineData("leaking", false)]
    [InlineData("tap?", false)]
    public void IsIdentifier_Word_TellsCodesFromWords(string word, bool expected) =>
        Assert.Equal(expected, KeywordWeight.IsIdentifier(word));

    [Fact]
    public void For_OnlyIdentifiers_LeansKeywordWhateverTheDenseLead()
    {
        Assert.Equal(KeywordWeight.Identifier, KeywordWeight.For(["ERR_CONN_4471"], SureDense));
        Assert.Equal(KeywordWeight.Identifier, KeywordWeight.For(["ERR_CONN_4471", "P0420"], FlatDense));
    }

    [Fact]
    public void For_FlatDenseTop_LeansKeywordMoreThanAClearDenseFavourite()
    {
        string[] words = ["kitchen", "tap", "leaking"];

        var flat = KeywordWeight.For(words, FlatDense);
        var sure = KeywordWeight.For(words, SureDense);

        Assert.Equal(KeywordWeight.Base - (KeywordWeight.LeadSlope * (0.01 / 0.60)), flat, 12);
        Assert.Equal(0, sure); // lead (0.80 − 0.59) / 0.80 = 0.26 ≥ 0.18: the dense leg decides alone
        Assert.True(flat > sure);
    }

    [Fact]
    public void For_NoDenseRows_IsTheBaseWeight() =>
        Assert.Equal(KeywordWeight.Base, KeywordWeight.For(["tap"], []));

    [Theory]
    [InlineData(0.8, 0.6, 0.25)]
    [InlineData(0.3, 0.1, 0.2 / 0.403)] // a weak favourite is measured against the even-odds cosine, not stretched
    [InlineData(0.5, -0.2, 1.0)] // a negative cosine counts as no evidence
    [InlineData(-0.1, -0.3, 0.0)]
    public void DenseLead_FirstTwoRows_IsTheirGapOnTheFusionScale(double first, double second, double expected) =>
        Assert.Equal(expected, KeywordWeight.DenseLead([new(1, first), new(2, second)]), 12);

    [Fact]
    public void DenseLead_SingleRowOrNone_LeadsByItsOwnScaleOrNothing()
    {
        Assert.Equal(1.0, KeywordWeight.DenseLead([new(1, 0.7)]), 12);
        Assert.Equal(0.0, KeywordWeight.DenseLead([]));
    }

    [Fact]
    public void FromDenseLead_GrowingLead_ShrinksTheWeightToZeroAndNeverBelow()
    {
        Assert.Equal(KeywordWeight.Base, KeywordWeight.FromDenseLead(0));
        Assert.True(KeywordWeight.FromDenseLead(0.05) < KeywordWeight.FromDenseLead(0.01));
        Assert.Equal(0, KeywordWeight.FromDenseLead(KeywordWeight.Base / KeywordWeight.LeadSlope), 12);
        Assert.Equal(0, KeywordWeight.FromDenseLead(1));
        Assert.Equal(0.5, KeywordWeight.FromDenseLead(0, baseWeight: 0.5, slope: 2));
    }

    [Fact]
    public void Combine_HybridWithTheQueryWeight_KeywordFavouriteWinsOnlyWhenTheDenseTopIsFlat()
    {
        // Row 2 is the keyword leg's clear favourite, row 1 the dense leg's. With one weight for every query, row 2
        // would win both searches (fused 0.775 · 0.59/0.8 + 0.225 = 0.797 > 0.775 for row 1 in the sure case too).
        ScoredRow[] keyword = [new(2, 0.6), new(3, 0.05)];

        var flat = Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, FlatDense, keyword, keywordWeight: KeywordWeight.For(["tap"], FlatDense));
        var sure = Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, SureDense, keyword, keywordWeight: KeywordWeight.For(["tap"], SureDense));

        var oneWeight = Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, SureDense, keyword, keywordWeight: KeywordWeight.Base);

        Assert.Equal(2, flat.MaxBy(p => p.Value).Key);
        Assert.Equal(1, sure.MaxBy(p => p.Value).Key);
        Assert.Equal(2, oneWeight.MaxBy(p => p.Value).Key);
    }
}
