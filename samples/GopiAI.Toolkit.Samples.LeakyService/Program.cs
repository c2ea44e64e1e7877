using System.Diagnostics;
using GopiAI.Toolkit.Samples.LeakyService;

// A small order service that leaks in every way the GopiAI analyzers know about.
// Run it to watch the memory climb; build it to see the analyzers point at each cause.
var orders = int.TryParse(args.FirstOrDefault(), out var n) && n > 0 ? n : 10_000;
var dataDir = Directory.CreateTempSubdirectory("leaky-service-");
try
{
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var stopwatch = Stopwatch.StartNew();
    var pricing = new PriceCalculator();
    var exporter = new ReportExporter(dataDir.FullName);
    using var notifications = new NotificationSender(Path.Combine(dataDir.FullName, "notifications.log"));
    var heartbeat = new Heartbeat();
    heartbeat.Start();

    for (var i = 0; i < orders; i++)
    {
        var order = new Order($"ORD-{i:D6}", $"customer-{i % 5_000}", 10m + (i % 97));
        var tracker = new OrderTracker(order.Id);
        AuditLog.Record($"placed {order.Id} for {order.CustomerId}");
        _ = pricing.PriceWithTax(order.CustomerId, order.Amount);
        OrderEvents.Publish(order);
        WorkQueue.Enqueue(order.Id);
        SessionRegistry.Open(order.CustomerId);
        if (i % 1_000 == 0)
        {
            notifications.Rotate();
            exporter.Export(i / 1_000, [order]);
            var session = new CustomerSession(order.CustomerId);
            session.Write("opened"u8.ToArray());
            session.CloseForDemo();
        }

        GC.KeepAlive(tracker);
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"Processed {orders:N0} orders in {stopwatch.ElapsedMilliseconds:N0} ms.");
    Console.WriteLine($"Managed heap after a full GC: {before / 1024:N0} KiB -> {after / 1024:N0} KiB (+{(after - before) / 1024:N0} KiB that will never come back).");
    Console.WriteLine($"Audit entries: {AuditLog.Count:N0}, cached prices: {pricing.CachedPrices:N0}, event subscribers: {OrderEvents.SubscriberCount:N0}, queued jobs: {WorkQueue.Count:N0}, open sessions: {SessionRegistry.Count:N0}.");
}
finally
{
    SessionRegistry.CloseAllForDemo();
    dataDir.Delete(recursive: true);
}
