using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class FrequencySketchTests
{
    private static int H(int key) => FrequencySketch.Mix(key);

    [Fact]
    public void Frequency_AfterIncrements_CountsEachKeySeparately()
    {
        var sketch = new FrequencySketch(1000);
        for (var i = 0; i < 5; i++)
        {
            sketch.Increment(H(1));
        }

        sketch.Increment(H(2));

        Assert.Equal(5, sketch.Frequency(H(1)));
        Assert.Equal(1, sketch.Frequency(H(2)));
        Assert.Equal(0, sketch.Frequency(H(3)));
    }

    [Fact]
    public void Increment_PastFifteen_Saturates()
    {
        var sketch = new FrequencySketch(1000);
        for (var i = 0; i < 40; i++)
        {
            sketch.Increment(H(7));
        }

        Assert.Equal(FrequencySketch.MaxFrequency, sketch.Frequency(H(7)));
    }

    [Fact]
    public void Increment_SamplePeriodReached_HalvesEveryCounter()
    {
        var sketch = new FrequencySketch(100);
        for (var i = 0; i < 12; i++)
        {
            sketch.Increment(H(-1));
        }

        // Distinct keys until the period ends (collisions may have raised the popular key's counters, never above 15).
        var key = 0;
        while (!sketch.HasAged)
        {
            sketch.Increment(H(key++));
            Assert.True(key <= sketch.SamplePeriod, "the sketch never aged");
        }

        Assert.InRange(sketch.Frequency(H(-1)), 6, 7);
        Assert.Equal(FrequencySketch.SamplePerEntry * 100, sketch.SamplePeriod);
    }

    [Fact]
    public void Frequency_ManyKeysInFullSizedTable_FewOverestimates()
    {
        // 1,000 keys seen once each in a sketch for 1,000 entries: collisions may inflate a few estimates, not many.
        var sketch = new FrequencySketch(1000);
        sketch.EnsureCapacity(1000);
        for (var key = 0; key < 1000; key++)
        {
            sketch.Increment(H(key));
        }

        var inflated = Enumerable.Range(0, 1000).Count(key => sketch.Frequency(H(key)) > 1);
        Assert.True(inflated < 20, $"{inflated} of 1000 estimates above 1");
    }

    [Fact]
    public void EnsureCapacity_MoreEntriesThanTable_GrowsAndForgets()
    {
        var sketch = new FrequencySketch(10_000);
        sketch.Increment(H(1));
        var before = sketch.TableEntries;

        sketch.EnsureCapacity(before + 1);

        Assert.True(sketch.TableEntries > before);
        Assert.Equal(0, sketch.Frequency(H(1)));
    }

    [Fact]
    public void EnsureCapacity_BeyondCacheCapacity_StopsGrowing()
    {
        var sketch = new FrequencySketch(300);

        sketch.EnsureCapacity(100_000);

        Assert.Equal(512, sketch.TableEntries);
    }
}
