using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Tests;

public sealed class CoarseClockTests
{
    [Fact]
    public void Now_AfterStart_IsOnTickCountScaleAndNotAhead()
    {
        CoarseClock.EnsureStarted();

        var now = CoarseClock.Now;

        Assert.True(now <= Environment.TickCount64);
        Assert.True(now > 0);
    }
}
