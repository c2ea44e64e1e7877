using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

/// <summary>One Server-Sent Event as it came over the wire.</summary>
internal sealed record SseEvent(string? Id, string? Event, string Data, int? Retry, string Raw);

/// <summary>
/// Reads an event stream by the rules of the HTML standard (fields <c>id</c>, <c>event</c>, <c>data</c>, <c>retry</c>,
/// comments, an empty line ends an event), keeping each event's raw text for framing assertions.
/// </summary>
internal sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public async Task<SseEvent> ReadAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null;
        int? retry = null;
        var data = new StringBuilder();
        var raw = new StringBuilder();
        var any = false;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
            raw.Append(line).Append('\n');
            if (line.Length == 0)
            {
                if (any)
                {
                    return new SseEvent(id, type, data.ToString(), retry, raw.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            any = true;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value);
                    break;
                case "retry":
                    retry = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
