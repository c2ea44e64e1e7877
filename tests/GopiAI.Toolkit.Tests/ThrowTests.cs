namespace GopiAI.Toolkit.Tests;

public sealed class ThrowTests
{
    [Fact]
    public void IfNull_Null_ThrowsWithArgumentName()
    {
        string? value = null;

        var ex = Assert.Throws<ArgumentNullException>(() => Throw.IfNull(value));

        Assert.Equal("value", ex.ParamName);
        Assert.Equal("x", Throw.IfNull("x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void IfNullOrWhiteSpace_Blank_ThrowsArgumentException(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Throw.IfNullOrWhiteSpace(name));

        Assert.Equal("name", ex.ParamName);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IfNotPositive_ZeroOrNegative_Throws()
    {
        var count = 0;
        var size = -1L;
        var ttl = TimeSpan.Zero;

        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfNotPositive(count)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfNotPositive(size)).ParamName);
        Assert.Equal("ttl", Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfNotPositive(ttl)).ParamName);
        Assert.Equal(Timeout.InfiniteTimeSpan, Throw.IfNotPositive(Timeout.InfiniteTimeSpan, allowInfinite: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfNotPositive(Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void IfNegativeAndIfOutOfRange_BadValues_Throw()
    {
        var queue = -1;
        var ratio = double.NaN;

        Assert.Equal("queue", Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfNegative(queue)).ParamName);
        Assert.Equal("ratio", Assert.Throws<ArgumentOutOfRangeException>(() => Throw.IfOutOfRange(ratio, 0, 1)).ParamName);
        Assert.Equal(0.5, Throw.IfOutOfRange(0.5, 0, 1));
        Assert.Equal(0, Throw.IfNegative(0));
    }

    [Fact]
    public void IfDisposed_True_ThrowsObjectDisposedWithTypeName()
    {
        var ex = Assert.Throws<ObjectDisposedException>(() => Throw.IfDisposed(true, this));

        Assert.Contains(nameof(ThrowTests), ex.ObjectName, StringComparison.Ordinal);
        Throw.IfDisposed(false, this);
    }
}
