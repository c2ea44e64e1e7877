using System.Text.Json.Nodes;
using GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary>docs/dashboard.md describes every field of the snapshot schema (and no field that is not there).</summary>
public sealed class DashboardDocsTests
{
    [Fact]
    public async Task FieldTable_EverySchemaField_IsDescribed()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Docs("dashboard-snapshot.schema.json")))!;
        var docs = await File.ReadAllTextAsync(RepositoryPaths.Docs("dashboard.md"));
        var fields = new List<string>();
        Collect(schema, string.Empty, fields);

        Assert.True(fields.Count > 100, $"{fields.Count} fields");
        Assert.All(fields, field => Assert.True(docs.Contains($"| `{field}` |", StringComparison.Ordinal), $"docs/dashboard.md does not describe `{field}`"));

        var snapshotSection = docs[docs.IndexOf("## The snapshot", StringComparison.Ordinal)..];
        snapshotSection = snapshotSection[..snapshotSection.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = System.Text.RegularExpressions.Regex.Matches(snapshotSection, @"(?m)^\| `([a-zA-Z0-9\[\]\.]+)` \| (?:string|integer|number|date-time|any|`)").Select(m => m.Groups[1].Value);
        Assert.All(documented, field => Assert.Contains(field, fields));
    }

    private static void Collect(JsonNode? node, string path, List<string> fields)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                if (child is JsonObject childObject && (childObject["properties"] is not null || childObject["items"] is not null))
                {
                    Collect(child, childPath, fields);
                }
                else
                {
                    fields.Add(childPath);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Collect(items, $"{path}[]", fields);
        }
    }
}
