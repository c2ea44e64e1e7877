namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// Statistics an application adds to the dashboard as a section of its own, for example the semantic memory's
/// <c>GetStatsAsync()</c>. Register one with <c>services.AddGopiDashboardStatistics(…)</c> or as an
/// <see cref="IDashboardStatisticsSource"/> singleton; the dashboard reads every source every
/// <see cref="GopiDashboardOptions.StatisticsInterval"/>, serializes what it returns to JSON and shows its properties.
/// </summary>
/// <remarks>
/// The dashboard package knows nothing of the sources' types, so it takes no dependency on, say, the semantic memory
/// package: the application, which references both, registers the source.
/// </remarks>
public interface IDashboardStatisticsSource
{
    /// <summary>Gets the section's key in the snapshot (a short camelCase name such as <c>semanticMemory</c>).</summary>
    string Name { get; }

    /// <summary>Gets the heading shown on the page.</summary>
    string Title { get; }

    /// <summary>Reads the statistics.</summary>
    /// <param name="cancellationToken">Cancelled when the dashboard stops.</param>
    /// <returns>An object serializable by System.Text.Json (its public properties become the section's rows), or <see langword="null"/> when there is nothing to show yet.</returns>
    ValueTask<object?> GetStatisticsAsync(CancellationToken cancellationToken);
}
