using System.Diagnostics.Metrics;
using System.Globalization;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Redis.Host;
using GopiAI.Toolkit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// One instance of an app sharing Redis with another. Usage: Host <redis-port>. Prints "ready", then answers one line per
// command read from stdin (see the switch below). Logs go to stderr.
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
long failureMeasurements = 0;
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == "GopiAI.Toolkit.Caching" && instrument.Name == "gopi.cache.l2.failures")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
{
    foreach (var tag in tags)
    {
        if (tag.Key == "layer" && tag.Value as string == "l2")
        {
            Interlocked.Add(ref failureMeasurements, value);
        }
    }
});
listener.Start();

// The same 32-byte key in every instance (a real app reads it with SecretBuffer.FromEnvironmentVariable).
using var key = SecretBuffer.Create(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole().AddFilter(level => level >= LogLevel.Information).Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
services.AddGopiRedis($"127.0.0.1:{port}", o =>
{
    o.OperationTimeout = TimeSpan.FromSeconds(2); // generous: the test machine is shared and loaded
    o.ConnectTimeout = TimeSpan.FromSeconds(2);
    o.RetryAfter = TimeSpan.FromMilliseconds(200);
    o.SensitiveValueKey = key;
});
await using var provider = services.BuildServiceProvider();
provider.UseGopiToolkit();

// Ready once invalidations from the other instance can reach this one.
await ((GopiAI.Toolkit.Redis.RedisInvalidationBus)provider.GetRequiredService<ICacheInvalidationBus>()).WhenSubscribed.WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine("ready");

string? line;
while ((line = Console.ReadLine()) is not null)
{
    var parts = line.Split(' ', 2);
    var arg = parts.Length > 1 ? parts[1] : string.Empty;
    string answer;
    try
    {
        answer = parts[0] switch
        {
            "profile" => (await Catalog.GetProfileAsync(Id(arg))).Describe(),
            "numbers" => string.Join(",", (await Catalog.GetNumbersAsync(arg)).Select(n => n?.ToString(CultureInfo.InvariantCulture) ?? "null")),
            "describe" => Catalog.Describe(Id(arg)) ?? "null",
            "secret" => (await Catalog.GetSecretAsync(Id(arg))).Length.ToString(CultureInfo.InvariantCulture),
            "invalidate-profile" => await Invalidate(Id(arg)),
            "invalidate-all-profiles" => await InvalidateAll(),
            "tag" => await Tag(arg),
            "size" => CacheManager.Shared.GetStats().TryGetValue("GopiAI.Toolkit.Redis.Host.Catalog." + arg, out var stats) ? stats.Size.ToString(CultureInfo.InvariantCulture) : "0",
            "runs" => Catalog.Runs,
            "health" => $"available={CacheManager.Shared.DistributedHealth.IsAvailable} failures={CacheManager.Shared.DistributedHealth.Failures} metric={Interlocked.Read(ref failureMeasurements)}",
            "quit" => "bye",
            _ => "error unknown command " + parts[0],
        };
    }
    catch (Exception ex)
    {
        answer = "error " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" ");
    }

    Console.WriteLine(answer);
    if (parts[0] == "quit")
    {
        break;
    }
}

static int Id(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static async Task<string> Invalidate(int id)
{
    await Catalog.InvalidateGetProfileAsyncAsync(id);
    return "ok";
}

static async Task<string> InvalidateAll()
{
    await Catalog.InvalidateAllGetProfileAsyncAsync();
    return "ok";
}

static async Task<string> Tag(string tag)
{
    await CacheManager.Shared.InvalidateTagAsync(tag);
    return "ok";
}
