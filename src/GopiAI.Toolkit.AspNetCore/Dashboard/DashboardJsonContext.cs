using System.Text.Json;
using System.Text.Json.Serialization;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// Source-generated JSON for the snapshot: camelCase, compact, nulls written (every field is always present, as the schema
/// says), non-nullable references and constructor parameters enforced when reading a snapshot back.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
