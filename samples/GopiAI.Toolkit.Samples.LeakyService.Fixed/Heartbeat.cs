namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>Counts a heartbeat every few seconds; owns its timer and stops it when disposed (the GOPI1002 fix).</summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly Timer _timer;
    private long _beats;

    public Heartbeat() =>
        _timer = new Timer(_ => Interlocked.Increment(ref _beats), null, TimeSpan.Zero, TimeSpan.FromSeconds(5));

    public long Beats => Interlocked.Read(ref _beats);

    public void Dispose() => _timer.Dispose();
}
