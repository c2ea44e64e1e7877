namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>Appends customer notifications to a log file that is rotated now and then.</summary>
internal sealed class NotificationSender : IDisposable
{
    private readonly string _path;
    private readonly FileStream _archive; // expect: GOPI1003
    private StreamWriter _writer;
    private int _generation;

    public NotificationSender(string path)
    {
        _path = path;
        _archive = new FileStream(path + ".archive", FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(path);
    }

    public void Send(string customerId, string text) => _writer.WriteLine($"{customerId}: {text}");

    public void Rotate()
    {
        _generation++;

        // The previous writer (and its file handle) is dropped without being disposed.
        _writer = new StreamWriter($"{_path}.{_generation}"); // expect: GOPI1005
    }

    // Disposes the current writer but forgets the archive stream it also created.
    public void Dispose() => _writer.Dispose();
}

/// <summary>Keeps a customer's session log open; the type owns a stream but cannot be disposed.</summary>
internal sealed class CustomerSession(string customerId) // expect: GOPI1004
{
    private readonly MemoryStream _scratch = new();
    private readonly FileStream _log = new(Path.Combine(Path.GetTempPath(), $"session-{customerId}-{Guid.NewGuid():N}.log"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose);

    public string CustomerId { get; } = customerId;

    public void Write(byte[] data)
    {
        _scratch.Write(data);
        _log.Write(data);
    }

    // Only for the demo's clean-up: the type still offers no Dispose to its owner.
    internal void CloseForDemo() => _log.Close();
}
