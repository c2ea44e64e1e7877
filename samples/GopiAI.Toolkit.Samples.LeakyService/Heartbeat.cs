namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>Writes a heartbeat line every few seconds.</summary>
internal sealed class Heartbeat
{
    private long _beats;

    public long Beats => Interlocked.Read(ref _beats);

    public void Start()
    {
        // The timer is created and thrown away: nobody can ever stop or dispose it.
        _ = new Timer(_ => Interlocked.Increment(ref _beats), null, TimeSpan.Zero, TimeSpan.FromSeconds(5)); // expect: GOPI1002
    }
}
