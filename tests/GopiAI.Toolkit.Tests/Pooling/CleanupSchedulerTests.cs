using GopiAI.Toolkit.Pooling;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class CleanupSchedulerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Register_RunsEveryIntervalUntilRemoved()
    {
        using var scheduler = new CleanupScheduler(_time, TimeSpan.FromMinutes(5));
        var runs = 0;
        var registration = scheduler.Register(() => runs++);

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, runs);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, runs);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(3, runs);

        registration.Dispose();
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(3, runs);
        Assert.Equal(4, scheduler.Runs);
    }

    [Fact]
    public void Default_IntervalIsFiveMinutes()
    {
        using var scheduler = new CleanupScheduler(_time);

        Assert.Equal(TimeSpan.FromMinutes(5), scheduler.Interval);
    }

    [Fact]
    public void RunNow_ThrowingAction_OthersStillRun()
    {
        using var scheduler = new CleanupScheduler(_time);
        var ran = false;
        scheduler.Register(() => throw new InvalidOperationException("bad"));
        scheduler.Register(() => ran = true);

        scheduler.RunNow();

        Assert.True(ran);
    }

    [Fact]
    public void ScheduleCleanup_DisposesAfterDelay()
    {
        using var scheduler = new CleanupScheduler(_time);
        var resource = new Resource();

        scheduler.ScheduleCleanup(resource, TimeSpan.FromSeconds(30));
        Assert.Equal(1, scheduler.PendingCount);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(resource.Disposed);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(resource.Disposed);
        Assert.Equal(0, scheduler.PendingCount);
    }

    [Fact]
    public async Task ScheduleCleanup_AsyncDisposable_DisposedAfterDelay()
    {
        using var scheduler = new CleanupScheduler(_time);
        var resource = new AsyncResource();

        scheduler.ScheduleCleanup(resource, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        await resource.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ScheduleCleanup_HandleDisposed_CancelsCleanup()
    {
        using var scheduler = new CleanupScheduler(_time);
        var resource = new Resource();

        var handle = scheduler.ScheduleCleanup(resource, TimeSpan.FromSeconds(5));
        handle.Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(resource.Disposed);
    }

    [Fact]
    public void Dispose_DisposesPendingResourcesImmediately()
    {
        var scheduler = new CleanupScheduler(_time);
        var resource = new Resource();
        scheduler.ScheduleCleanup(resource, TimeSpan.FromHours(1));

        scheduler.Dispose();

        Assert.True(resource.Disposed);
        Assert.Throws<ObjectDisposedException>(() => scheduler.ScheduleCleanup(new Resource(), TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => scheduler.Register(() => { }));
    }

    [Fact]
    public void BadArguments_ThrowNamingThem()
    {
        using var scheduler = new CleanupScheduler(_time);

        Assert.Equal("interval", Assert.Throws<ArgumentOutOfRangeException>(() => new CleanupScheduler(_time, TimeSpan.Zero)).ParamName);
        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.ScheduleCleanup(new Resource(), TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("resource", Assert.Throws<ArgumentNullException>(() => scheduler.ScheduleCleanup((IDisposable)null!, TimeSpan.Zero)).ParamName);
        Assert.Equal("cleanup", Assert.Throws<ArgumentNullException>(() => scheduler.Register(null!)).ParamName);
    }

    private sealed class Resource : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class AsyncResource : IAsyncDisposable
    {
        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask DisposeAsync()
        {
            Disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
