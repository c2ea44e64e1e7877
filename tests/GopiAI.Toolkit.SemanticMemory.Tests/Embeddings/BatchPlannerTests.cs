using GopiAI.Toolkit.SemanticMemory.Embeddings;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Embeddings;

public sealed class BatchPlannerTests
{
    [Fact]
    public void Plan_EqualLengths_FillsBatchesToMaxRows()
    {
        var lengths = Enumerable.Repeat(40, 70).ToArray();

        Assert.Equal([32, 32, 6], BatchPlanner.Plan(lengths, 32));
    }

    [Fact]
    public void Plan_ManyShortAndFewLong_KeepsTheShortOnesOutOfTheLongBatch()
    {
        int[] lengths = [.. Enumerable.Repeat(12, 28), .. Enumerable.Repeat(230, 4)];

        var plan = BatchPlanner.Plan(lengths, 32);

        // One batch would pad 28 short texts to 230 positions: 32 x 230 = 7,360 against 28 x 12 + 4 x 230 + 2 runs.
        Assert.Equal([28, 4], plan);
    }

    [Fact]
    public void Plan_AnyInput_CoversEveryItemInBatchesOfAtMostMaxRows()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(3, 257)).Order().ToArray();

        var plan = BatchPlanner.Plan(lengths, 32);

        Assert.Equal(500, plan.Sum());
        Assert.All(plan, rows => Assert.InRange(rows, 1, 32));
    }

    [Fact]
    public void Plan_Empty_ReturnsNoBatches()
    {
        Assert.Empty(BatchPlanner.Plan([], 32));
    }
}
