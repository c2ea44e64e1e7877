using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class HnswParametersTests
{
    [Theory]
    [InlineData(10_000, 16, 96)]
    [InlineData(50_000, 16, 96)]
    [InlineData(100_000, 16, 96)]
    [InlineData(249_999, 16, 191)]
    [InlineData(250_000, 32, 191)]
    [InlineData(300_000, 32, 219)]
    [InlineData(1_000_000, 32, 540)]
    public void For_StoreSize_GivesTheMeasuredShape(int rows, int connectivity, int expansionSearch)
    {
        var shape = HnswParameters.For(rows);

        Assert.Equal(new HnswParameters(connectivity, 64, expansionSearch, ScalarKind.Int8), shape);
    }

    [Fact]
    public void For_MoreRows_NeverGivesAWeakerShape()
    {
        var previous = HnswParameters.For(1);
        for (var rows = 2L; rows <= int.MaxValue; rows = (rows * 5 / 4) + 1)
        {
            var shape = HnswParameters.For((int)rows);

            Assert.True(shape.Connectivity >= previous.Connectivity && shape.ExpansionAdd >= previous.ExpansionAdd && shape.ExpansionSearch >= previous.ExpansionSearch,
                $"{rows:N0} rows: {shape} is weaker than {previous}");
            Assert.Equal(previous.Quantization, shape.Quantization);
            previous = shape;
        }

        Assert.Equal(HnswParameters.MaxExpansionSearch, HnswParameters.For(int.MaxValue).ExpansionSearch);
    }

    [Fact]
    public void Outgrown_GraphBuiltBelowTheDenseSize_IsOutgrownOnlyPastIt()
    {
        var built = HnswParameters.For(HnswParameters.BaseRows / 2);

        Assert.False(HnswParameters.Outgrown(built, HnswParameters.DenseGraphRows - 1));
        Assert.True(HnswParameters.Outgrown(built, HnswParameters.DenseGraphRows));
        Assert.True(HnswParameters.Outgrown(built, 1_000_000));
        Assert.False(HnswParameters.Outgrown(HnswParameters.For(HnswParameters.DenseGraphRows), 1_000_000));
        Assert.False(HnswParameters.Outgrown(HnswParameters.For(1_000_000), 10));
    }
}
