using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class HnswParametersTests
{
    [Theory]
    [InlineData(10_000, 96)]
    [InlineData(50_000, 96)]
    [InlineData(100_000, 96)]
    [InlineData(300_000, 219)]
    [InlineData(1_000_000, 540)]
    public void For_StoreSize_GivesTheMeasuredShape(int rows, int expansionSearch)
    {
        var shape = HnswParameters.For(rows);

        Assert.Equal(new HnswParameters(16, 64, expansionSearch, ScalarKind.Int8), shape);
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
}
