using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>
/// docs/observability.md lists each meter, instrument (name, kind, unit, tags) and activity source of the toolkit: these
/// tests compare it with what the components really publish and with the instrument names in <c>src/</c>, so a new,
/// renamed or re-tagged instrument fails here until the docs say so.
/// </summary>
public sealed partial class ObservabilityDocsTests
{
    private const string Prefix = "GopiAI.Toolkit.";

    [Fact]
    public void InstrumentTable_EveryRow_MatchesWhatTheComponentsPublish()
    {
        var seen = new ConcurrentDictionary<string, (ConcurrentDictionary<string, byte> Meters, string Kind, string Unit, ConcurrentDictionary<string, byte> Tags)>(StringComparer.Ordinal);
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    seen.GetOrAdd(instrument.Name, _ => (new ConcurrentDictionary<string, byte>(StringComparer.Ordinal), Kind(instrument), instrument.Unit ?? string.Empty, new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)))
                        .Meters.TryAdd(instrument.Meter.Name, 0);
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Tags(seen, i, tags));
            listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Tags(seen, i, tags));
            listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Tags(seen, i, tags));
            listener.Start();
            using var workload = new ToolkitWorkload();
            workload.Run();
            listener.RecordObservableInstruments();
        }

        var documented = ObservabilityDocs.Instruments();
        Assert.Equal(documented.Select(d => d.Name).Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        foreach (var row in documented)
        {
            var actual = seen[row.Name];
            Assert.True(row.Meters.SequenceEqual(actual.Meters.Keys.Order(StringComparer.Ordinal)), $"{row.Name}: documented on [{string.Join(", ", row.Meters)}], published on [{string.Join(", ", actual.Meters.Keys)}]");
            Assert.True(row.Kind == actual.Kind, $"{row.Name}: documented as {row.Kind}, is {actual.Kind}");
            Assert.True(row.Unit == actual.Unit, $"{row.Name}: documented unit {row.Unit}, is {actual.Unit}");
            Assert.True(row.Tags.Order(StringComparer.Ordinal).SequenceEqual(actual.Tags.Keys.Order(StringComparer.Ordinal)), $"{row.Name}: documented tags [{string.Join(", ", row.Tags)}], published [{string.Join(", ", actual.Tags.Keys)}]");
        }
    }

    [Fact]
    public void InstrumentTable_Names_EqualTheInstrumentsCreatedInTheSource()
    {
        var source = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => InstrumentCreation().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        Assert.Equal(source, ObservabilityDocs.Instruments().Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MeterTable_EqualsTheToolkitsMeterConstantsAndTheInstrumentationList()
    {
        var constants = typeof(ToolkitInfo).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("MeterName", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        var documented = ObservabilityDocs.Meters().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(constants, documented);
        Assert.Equal(GopiToolkitTelemetry.MeterNames.Order(StringComparer.Ordinal), documented);
        Assert.Equal(ObservabilityDocs.Instruments().SelectMany(i => i.Meters).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void ActivitySourceTable_EqualsTheSourcesTheToolkitStartsActivitiesFrom()
    {
        var sources = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        using (var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith(Prefix, StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a => sources.TryAdd(a.Source.Name, 0),
        })
        {
            ActivitySource.AddActivityListener(listener);
            using var workload = new ToolkitWorkload();
            workload.Run();
        }

        Assert.Equal(ObservabilityDocs.ActivitySources(), sources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(GopiToolkitTelemetry.ActivitySourceNames, ObservabilityDocs.ActivitySources());
        Assert.Equal(ApiPerformanceMonitor.ActivitySource.Name, Assert.Single(ObservabilityDocs.ActivitySources()));
    }

    private static string Kind(Instrument instrument)
    {
        var name = instrument.GetType().Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static void Tags(ConcurrentDictionary<string, (ConcurrentDictionary<string, byte> Meters, string Kind, string Unit, ConcurrentDictionary<string, byte> Tags)> seen, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (seen.TryGetValue(instrument.Name, out var entry))
        {
            foreach (var tag in tags)
            {
                entry.Tags.TryAdd(tag.Key, 0);
            }
        }
    }

    [GeneratedRegex(@"\.Create(?:Observable)?(?:Counter|UpDownCounter|Histogram|Gauge)(?:<[^>(]+>)?\(\s*""(?<name>[^""]+)""")]
    private static partial Regex InstrumentCreation();
}
