namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>A tool the assistant can offer next to its answer.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it does.</param>
public sealed record AssistantTool(string Name, string Description);

/// <summary>
/// Picks the tool that suits a topic. Lookups go through the shared <c>tools</c> cache of <c>CacheManager</c>
/// (50 entries, one hour), so the catalog is scanned once per topic.
/// </summary>
public sealed partial class ToolCatalog
{
    private static readonly (string Topic, AssistantTool Tool)[] Catalog =
    [
        ("software", new("diagnostics-checklist", "Walks through logs, versions and recent changes for an error code.")),
        ("travel", new("itinerary-planner", "Builds a day-by-day plan with transport and bookings.")),
        ("cooking", new("recipe-scaler", "Scales a recipe and converts units and oven temperatures.")),
        ("finance", new("budget-calculator", "Projects savings, loan payoff and tax effects.")),
        ("health", new("training-planner", "Plans workouts and recovery week by week.")),
        ("home", new("repair-guide", "Lists parts, tools and steps for a household fix.")),
        ("garden", new("planting-calendar", "Gives sowing and planting dates for a climate zone.")),
        ("car", new("obd-code-lookup", "Explains OBD-II trouble codes and the usual causes.")),
    ];

    private static readonly AssistantTool General = new("web-search", "Looks the question up when memory has nothing relevant.");

    /// <summary>Finds the tool for <paramref name="topic"/>.</summary>
    /// <param name="topic">A topic such as <c>cooking</c>; unknown topics get the general tool.</param>
    /// <returns>The tool.</returns>
    [Monitored(Name = "ToolCatalog.Resolve")]
    [Cached(Cache = "tools")]
    public partial AssistantTool ResolveTool(string topic);

    private AssistantTool ResolveToolCore(string topic)
    {
        foreach (var (candidate, tool) in Catalog)
        {
            if (string.Equals(candidate, topic, StringComparison.OrdinalIgnoreCase))
            {
                return tool;
            }
        }

        return General;
    }
}
