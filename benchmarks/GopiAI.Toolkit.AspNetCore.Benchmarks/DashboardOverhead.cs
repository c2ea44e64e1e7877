using System.Diagnostics;
using System.Globalization;
using System.Net;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Benchmarks;

/// <summary>
/// Measures what the dashboard adds to the CPU of a host under a steady load. The same host (Kestrel on a loopback port,
/// a monitored endpoint with a cache lookup and a pooled buffer) runs alternately without the dashboard and with it, with
/// a page's event stream connected (consumed by <c>curl</c>, in another process, as a browser would be); the load is a
/// fixed request rate from this process. Phases alternate A B B A … so drift cancels; CPU is the process's own
/// (<see cref="Environment.CpuUsage"/>), so the load generator counts in both phases alike.
/// </summary>
internal static class DashboardOverhead
{
    private static TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private static int s_pages = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 400;
        s_interval = TimeSpan.FromMilliseconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000);
        s_pages = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        Console.WriteLine($"Dashboard CPU overhead: {pairs} pairs of {seconds}-s phases at {rate} requests/s, sampling every {s_interval.TotalMilliseconds} ms, {s_pages} page(s) connected, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("| Phase | Dashboard | CPU (ms per s) | CPU (% of one core) | Requests/s | Events received |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var without = new List<double>();
        var with = new List<double>();

        // One untimed phase of each kind first: JIT, thread-pool growth and Kestrel's first connections are not the dashboard's.
        await PhaseAsync(dashboard: false, TimeSpan.FromSeconds(3), rate).ConfigureAwait(false);
        await PhaseAsync(dashboard: true, TimeSpan.FromSeconds(3), rate).ConfigureAwait(false);
        for (var pair = 0; pair < pairs; pair++)
        {
            foreach (var dashboard in pair % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var result = await PhaseAsync(dashboard, TimeSpan.FromSeconds(seconds), rate).ConfigureAwait(false);
                (dashboard ? with : without).Add(result.CpuMsPerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {with.Count + without.Count} | {(dashboard ? $"on, {s_pages} page(s)" : "off")} | {result.CpuMsPerSecond:0.0} | {result.CpuMsPerSecond / 10:0.00} % | {result.RequestsPerSecond:0} | {result.Events} |"));
            }
        }

        var a = Median(without);
        var b = Median(with);
        var differences = with.Zip(without, (on, off) => on - off).ToArray();
        var mean = differences.Average();
        var deviation = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / Math.Max(1, differences.Length - 1));
        var margin = 2.0 * deviation / Math.Sqrt(differences.Length);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"without dashboard: median {a:0.0} ms CPU per s (min {without.Min():0.0}, max {without.Max():0.0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with dashboard:    median {b:0.0} ms CPU per s (min {with.Min():0.0}, max {with.Max():0.0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paired difference (on - off, {differences.Length} pairs): mean {mean:+0.0;-0.0} ms per s, about ±{margin:0.0} (2 standard errors)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  = {mean / 10:+0.00;-0.00} % of one core (±{margin / 10:0.00}), {mean / (10 * Environment.ProcessorCount):+0.00;-0.00} % of the machine, {100 * mean / a:+0.0;-0.0} % of the host's CPU"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<(double CpuMsPerSecond, double RequestsPerSecond, int Events)> PhaseAsync(bool dashboard, TimeSpan duration, int rate)
    {
        await using var app = await StartHostAsync(dashboard).ConfigureAwait(false);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var pages = dashboard ? Enumerable.Range(0, s_pages).Select(_ => new EventStreamReader(port)).ToArray() : [];

        // Warm up (JIT, connections, first events), then measure.
        await LoadAsync(client, TimeSpan.FromSeconds(2), rate).ConfigureAwait(false);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var requests = await LoadAsync(client, duration, rate).ConfigureAwait(false);
        var wall = clock.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var events = pages.Sum(p => p.Stop());
        return (cpu.TotalMilliseconds / wall.TotalSeconds, requests / wall.TotalSeconds, events);
    }

    private static async Task<WebApplication> StartHostAsync(bool dashboard)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddGopiToolkit(o => o.UseSharedInstances = false);
        if (dashboard)
        {
            builder.Services.AddGopiDashboard(o => o.SampleInterval = s_interval);
        }

        var app = builder.Build();
        if (dashboard)
        {
            app.MapGopiDashboard("/gopiai");
        }

        var pool = app.Services.GetRequiredService<ResourcePoolManager>().CreatePool("order-buffers", () => new byte[1024]);
        app.MapGet("/work", (ApiPerformanceMonitor api, CacheManager caches, int id) =>
        {
            var scope = MonitoredScope.Start($"Orders.Place{id % 4}", api);
            var hit = caches.Get<string>("orders", id % 500) is not null;
            if (!hit)
            {
                caches.Set("orders", id % 500, "order");
            }

            pool.Return(pool.Get());
            scope.Stop(success: id % 50 != 0, cacheHit: hit);
            return hit ? "hit" : "miss";
        });
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    private static async Task<long> LoadAsync(HttpClient client, TimeSpan duration, int rate)
    {
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        using var concurrency = new SemaphoreSlim(16);
        var pending = new List<Task>();
        long sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = interval * sent;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            }

            await concurrency.WaitAsync().ConfigureAwait(false);
            var id = sent++;
            pending.Add(SendAsync(client, id, concurrency));
            if (pending.Count > 1024)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return sent;
    }

    private static async Task SendAsync(HttpClient client, long id, SemaphoreSlim concurrency)
    {
        try
        {
            using var response = await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/work?id={id}")).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
        finally
        {
            concurrency.Release();
        }
    }

    /// <summary>A page's event stream, read by curl in its own process (so its parsing is not charged to the host).</summary>
    private sealed class EventStreamReader : IDisposable
    {
        private readonly Process _curl;
        private int _events;
        private int _disposed;

        public EventStreamReader(int port)
        {
            var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-sN", "--noproxy", "*", $"http://127.0.0.1:{port}/gopiai/events" })
            {
                start.ArgumentList.Add(argument);
            }

            _curl = Process.Start(start) ?? throw new InvalidOperationException("curl did not start (it consumes the event stream as a page would).");
            _curl.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("event:", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref _events);
                }
            };
            _curl.BeginOutputReadLine();
        }

        public int Stop()
        {
            Dispose();
            return Volatile.Read(ref _events);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (!_curl.HasExited)
            {
                _curl.Kill();
                _curl.WaitForExit(5_000);
            }

            _curl.Dispose();
        }
    }
}
