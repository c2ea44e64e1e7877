using GopiAI.Toolkit.Samples.Assistant.Reporting;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

internal static class SampleReports
{
    public static PerformanceReport Full() => new()
    {
        GeneratedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Startup =
        [
            new("EmbeddingModelHost", "component", TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(420)),
            new("TokenCounter", "component", TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(180)),
            new("open memory database", "task", TimeSpan.FromMilliseconds(430), TimeSpan.FromMilliseconds(40)),
            new("ingest conversations.jsonl", "phase", TimeSpan.FromMilliseconds(480), TimeSpan.FromSeconds(9)),
        ],
        Endpoints =
        [
            new("KnowledgeBase.Search", 24, 12.5, 30, 0, [1, 2, 3, 10, 12, 14, 20, 22, 30, 31]),
            new("AssistantService.AskAsync", 24, 40, 90, 0.1, [20, 35, 40, 44, 90, 95]),
        ],
        Caches =
        [
            new("KnowledgeBase.SearchAsync", "[Cached] method", 12, 12, 12, 512, 0),
            new("tools", "named cache", 20, 4, 4, 50, 0),
        ],
        Pools = [new("PromptScratchBuffer", 2, 24, 24, 0)],
        Memory = [.. Enumerable.Range(0, 20).Select(i => new MemorySample(TimeSpan.FromSeconds(i), (40 + i) * 1048576L))],
        MemoryBaselineBytes = 40 * 1048576L,
        LeakThresholdBytes = 60 * 1048576L,
        LeakWarnings = ["managed heap grew 1.6x over 5 samples"],
        Alerts = ["Memory usage alert: heap 200 MB > 150 MB; trimmed 12 cache entries"],
        UnusualUsage = ["[12:00:10 UTC] Request rate spike: 50/s over the last 10 s is 5x the baseline of 10/s"],
        UnusualUsageThresholds = "Checked every 10 s against the median of the last 30 intervals",
        Bottlenecks = ["AssistantService.AskAsync: p95 90 ms"],
        Suggestions = ["KnowledgeBase.Search: cache it"],
    };
}
