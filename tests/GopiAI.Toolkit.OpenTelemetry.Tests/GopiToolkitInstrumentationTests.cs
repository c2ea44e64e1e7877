using System.Diagnostics;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary><c>AddGopiToolkitInstrumentation()</c> with the real OpenTelemetry SDK and its in-memory exporters.</summary>
public sealed class GopiToolkitInstrumentationTests
{
    [Fact]
    public void AddGopiToolkitInstrumentation_Metrics_ExportsEveryToolkitInstrumentWithItsTags()
    {
        var exported = new List<Metric>();
        using (var provider = Sdk.CreateMeterProviderBuilder().AddGopiToolkitInstrumentation().AddInMemoryExporter(exported).Build())
        using (var workload = new ToolkitWorkload())
        {
            workload.Run();
            provider.ForceFlush();

            var names = exported.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(ObservabilityDocs.Instruments().Select(i => i.Name).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            Assert.Equal(30, Sum(exported, "gopi.cache.hits", "cache.name", ToolkitWorkload.Cache));
            Assert.Equal(10, Sum(exported, "gopi.cache.misses", "cache.name", ToolkitWorkload.Cache));
            Assert.Equal(40, Sum(exported, "gopi.pool.rented", "pool.name", ToolkitWorkload.Pool));
            Assert.Equal(40, HistogramCount(exported, "gopi.call.duration", "endpoint", ToolkitWorkload.Endpoint));

            // Seconds-sized buckets (the toolkit's advice), not the SDK's millisecond defaults that would put every call in one bucket.
            var bounds = Boundaries(exported, "gopi.call.duration");
            Assert.Equal(0.00001, bounds[0]);
            Assert.Equal(10, bounds[^1]);
        }
    }

    [Fact]
    public void AddGopiToolkitInstrumentation_Tracing_ExportsOneSpanPerMonitoredCall()
    {
        var exported = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder().AddGopiToolkitInstrumentation().AddInMemoryExporter(exported).Build())
        using (var monitor = new ApiPerformanceMonitor())
        {
            MonitoredScope.Start("Orders.Place", monitor).Stop(success: true, cacheHit: true);
            MonitoredScope.Start("Orders.Cancel", monitor).Stop(success: false);
            provider.ForceFlush();
        }

        var place = Assert.Single(exported, a => a.DisplayName == "Orders.Place");
        Assert.Equal("GopiAI.Toolkit.Monitoring", place.Source.Name);
        Assert.Equal(ActivityKind.Internal, place.Kind);
        Assert.Equal(ActivityStatusCode.Ok, place.Status);
        Assert.Equal(true, place.GetTagItem("cache.hit"));
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(exported, a => a.DisplayName == "Orders.Cancel").Status);
    }

    [Fact]
    public void AddGopiToolkitInstrumentation_NoTracer_StartsNoActivity()
    {
        using var monitor = new ApiPerformanceMonitor();

        var scope = MonitoredScope.Start("Orders.Place", monitor);

        Assert.Null(scope.Activity);
        scope.Stop(success: true);
    }

    [Fact]
    public async Task AddOpenTelemetry_HostingSnippetFromTheIssue_CollectsMetricsAndTraces()
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddGopiToolkitInstrumentation().AddInMemoryExporter(metrics))
            .WithTracing(t => t.AddGopiToolkitInstrumentation().AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();

        using (var workload = new ToolkitWorkload())
        {
            workload.Run();
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        }

        await host.StopAsync();
        Assert.Contains(metrics, m => m.Name == "gopi.call.duration");
        Assert.Contains(metrics, m => m.Name == "gopi.memory.heap_size");
        Assert.Equal(40, spans.Count(s => s.DisplayName == ToolkitWorkload.Endpoint));
    }

    [Fact]
    public void Names_Listed_AreTheToolkitsConstantsAndMatchThePattern()
    {
        Assert.Equal([ToolkitInfo.CachingMeterName, ToolkitInfo.PoolingMeterName, ToolkitInfo.MemoryMeterName, ToolkitInfo.MonitoringMeterName, ToolkitInfo.RateLimitingMeterName, ToolkitInfo.SemanticMemoryMeterName], GopiToolkitTelemetry.MeterNames);
        Assert.All(GopiToolkitTelemetry.MeterNames.Concat(GopiToolkitTelemetry.ActivitySourceNames), n => Assert.StartsWith(GopiToolkitTelemetry.NamePattern.TrimEnd('*'), n, StringComparison.Ordinal));
        Assert.Throws<ArgumentNullException>(() => ((MeterProviderBuilder)null!).AddGopiToolkitInstrumentation());
        Assert.Throws<ArgumentNullException>(() => ((TracerProviderBuilder)null!).AddGopiToolkitInstrumentation());
    }

    private static long Sum(List<Metric> metrics, string name, string tag, string value)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (HasTag(point, tag, value))
                {
                    total += point.GetSumLong();
                }
            }
        }

        return total;
    }

    private static long HistogramCount(List<Metric> metrics, string name, string tag, string value)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (HasTag(point, tag, value))
                {
                    total += point.GetHistogramCount();
                }
            }
        }

        return total;
    }

    private static double[] Boundaries(List<Metric> metrics, string name)
    {
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var bounds = new List<double>();
                foreach (var bucket in point.GetHistogramBuckets())
                {
                    if (!double.IsPositiveInfinity(bucket.ExplicitBound))
                    {
                        bounds.Add(bucket.ExplicitBound);
                    }
                }

                return [.. bounds];
            }
        }

        throw new InvalidOperationException($"{name} was not exported.");
    }

    private static bool HasTag(in MetricPoint point, string tag, string value)
    {
        foreach (var pair in point.Tags)
        {
            if (pair.Key == tag && Equals(pair.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
