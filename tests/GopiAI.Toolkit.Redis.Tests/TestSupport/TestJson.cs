using System.Text.Json.Serialization;

namespace GopiAI.Toolkit.Redis.Tests.TestSupport;

/// <summary>Source-generated JSON metadata for the values the in-process tests cache.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(byte[]))]
internal sealed partial class TestJson : JsonSerializerContext
{
}
