namespace GopiAI.Toolkit.Analyzers.Tests.Verifiers;

/// <summary>
/// Source stubs of the toolkit's public surface, so analyzer tests can run without referencing the runtime assembly.
/// Add one with <c>test.TestState.Sources.Add(("Stubs.cs", ToolkitStubs.Attributes))</c> or the verifiers'
/// <c>additionalSources</c> argument. The stubs mirror the names fixed by the issues (namespace <c>GopiAI.Toolkit</c>).
/// </summary>
internal static class ToolkitStubs
{
    /// <summary>The four attributes of the toolkit.</summary>
    public const string Attributes = """
        namespace GopiAI.Toolkit
        {
            [System.AttributeUsage(System.AttributeTargets.Class, Inherited = false)]
            public sealed class PooledAttribute : System.Attribute
            {
                public int MaxRetained { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Method, Inherited = false)]
            public sealed class CachedAttribute : System.Attribute
            {
                public CachedAttribute() { }
                public CachedAttribute(string ttl) { }
            }

            [System.AttributeUsage(System.AttributeTargets.Class, Inherited = false)]
            public sealed class LazyStartupAttribute : System.Attribute
            {
            }

            [System.AttributeUsage(System.AttributeTargets.Method | System.AttributeTargets.Class, Inherited = false)]
            public sealed class MonitoredAttribute : System.Attribute
            {
            }
        }
        """;
}
