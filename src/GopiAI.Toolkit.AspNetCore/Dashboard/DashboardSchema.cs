using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The JSON Schema (draft 2020-12) of <c>snapshot.json</c> and of the events' data, generated from the snapshot records
/// by System.Text.Json, so it cannot drift from what the dashboard writes. Served at <c>snapshot.schema.json</c>; a copy
/// is kept in docs/dashboard-snapshot.schema.json (a test keeps the two equal).
/// </summary>
internal static class DashboardSchema
{
    private static readonly Lazy<string> s_text = new(Generate);

    public static string Text => s_text.Value;

    private static string Generate()
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(
            DashboardJsonContext.Default.Options,
            typeof(DashboardSnapshot),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "GopiAI.Toolkit dashboard snapshot",
            ["description"] = $"Body of snapshot.json and data of the snapshot/update events (schemaVersion {DashboardSnapshot.CurrentSchemaVersion}). Field meanings: docs/dashboard.md.",
        };
        foreach (var property in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(property.Key);
            root[property.Key] = property.Value;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
