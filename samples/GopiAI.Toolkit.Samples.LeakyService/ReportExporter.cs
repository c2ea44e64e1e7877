using System.Buffers;
using System.Text;

namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>Exports order batches to CSV files.</summary>
internal sealed class ReportExporter(string directory)
{
    public void Export(int batch, IReadOnlyList<Order> orders)
    {
        // Opened but never closed: the file handle lives until the finalizer runs, if ever.
        var stream = File.Create(Path.Combine(directory, $"orders-{batch:D4}.csv")); // expect: GOPI1001
        var buffer = ArrayPool<byte>.Shared.Rent(4096); // expect: GOPI1006
        foreach (var order in orders)
        {
            var written = Encoding.UTF8.GetBytes($"{order.Id},{order.CustomerId},{order.Amount}\n", buffer);
            stream.Write(buffer, 0, written);
        }

        stream.Flush();
    }
}
