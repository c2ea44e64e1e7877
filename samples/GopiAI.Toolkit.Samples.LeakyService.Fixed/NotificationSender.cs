namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>Appends customer notifications to a log file that is rotated now and then.</summary>
internal sealed class NotificationSender : IDisposable
{
    private readonly string _path;
    private readonly FileStream _archive;
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
        _writer.Dispose();
        _writer = new StreamWriter($"{_path}.{_generation}");
    }

    public void Dispose()
    {
        _writer.Dispose();
        _archive.Dispose();
    }
}

/// <summary>Keeps a customer's session log open until the session is disposed.</summary>
internal sealed class CustomerSession(string customerId) : IDisposable
{
    private readonly MemoryStream _scratch = new();
    private readonly FileStream _log = new(Path.Combine(Path.GetTempPath(), $"session-{customerId}-{Guid.NewGuid():N}.log"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose);

    public string CustomerId { get; } = customerId;

    public void Write(byte[] data)
    {
        _scratch.Write(data);
        _log.Write(data);
    }

    public void Dispose()
    {
        _log.Dispose();
        _scratch.Dispose();
    }
}
