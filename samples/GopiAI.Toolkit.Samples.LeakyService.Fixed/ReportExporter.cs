using System.Buffers;
using System.Text;

namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>Exports order batches to CSV files.</summary>
internal sealed class ReportExporter(string directory)
{
    public void Export(int batch, IReadOnlyList<Order> orders)
    {
        using var stream = File.Create(Path.Combine(directory, $"orders-{batch:D4}.csv"));
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var order in orders)
            {
                var written = Encoding.UTF8.GetBytes($"{order.Id},{order.CustomerId},{order.Amount}\n", buffer);
                stream.Write(buffer, 0, written);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
