using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class CacheKeysTests
{
    [Fact]
    public void Format_Separators_AreEscapedSoArgumentsNeverCollide()
    {
        // ("a|b", "c") and ("a", "b|c") would both read "a|b|c" without escaping.
        var first = CacheKeys.Format("a|b") + "|" + CacheKeys.Format("c");
        var second = CacheKeys.Format("a") + "|" + CacheKeys.Format("b|c");

        Assert.NotEqual(first, second);
        Assert.Equal(@"a\|b", CacheKeys.Format("a|b"));
        Assert.Equal(@"x\\y", CacheKeys.Format(@"x\y"));
    }

    [Fact]
    public void Format_NullAndTilde_AreDistinct()
    {
        Assert.Equal("~", CacheKeys.Format<string?>(null));
        Assert.Equal(@"\~", CacheKeys.Format("~"));
        Assert.Equal("~", CacheKeys.Format<int?>(null));
    }

    [Fact]
    public void Format_NumbersAndDates_UseTheInvariantRoundTripForm()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("1.5", CacheKeys.Format(1.5));
            Assert.Equal("2026-12-03T10:00:00.0000000+01:00", CacheKeys.Format(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1))));
            Assert.Equal("true", CacheKeys.Format(true));
            Assert.Equal("Friday", CacheKeys.Format(DayOfWeek.Friday));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
