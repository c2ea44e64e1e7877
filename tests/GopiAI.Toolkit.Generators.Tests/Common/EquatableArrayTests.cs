using GopiAI.Toolkit.Generators.Common;

namespace GopiAI.Toolkit.Generators.Tests.Common;

public class EquatableArrayTests
{
    [Fact]
    public void Equals_SameItemsDifferentArrays_EqualWithSameHash()
    {
        var a = new[] { "x", "y" }.ToEquatableArray();
        var b = new[] { "x", "y" }.ToEquatableArray();

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentOrderOrLength_NotEqual()
    {
        var a = new[] { "x", "y" }.ToEquatableArray();

        Assert.NotEqual(a, new[] { "y", "x" }.ToEquatableArray());
        Assert.NotEqual(a, new[] { "x" }.ToEquatableArray());
        Assert.Equal(default(EquatableArray<string>), EquatableArray<string>.Empty);
    }
}
