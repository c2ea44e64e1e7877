using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage;

/// <summary>
/// Runs the usage analyzers over sources that use the real attribute shapes (<see cref="UsageStubs"/>). Compiler
/// diagnostics are off: without the generator, partial methods have no implementation part, which the compiler reports.
/// </summary>
internal static class UsageVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None }
            .WithSource(UsageStubs.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>Runs a usage analyzer and one of its code fixes, see <see cref="UsageVerifier{TAnalyzer}"/>.</summary>
internal static class UsageFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixVerifier<TAnalyzer, TCodeFix>.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CompilerDiagnostics = CompilerDiagnostics.None,
        }.WithSource(UsageStubs.Source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>The toolkit attributes as the runtime declares them, plus the two Microsoft.Extensions types the rules look for.</summary>
internal static class UsageStubs
{
    public const string Source = """
        namespace GopiAI.Toolkit
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class CachedAttribute : System.Attribute
            {
                public CachedAttribute() { }
                public CachedAttribute(int ttlSeconds) { }
                public string? Ttl { get; set; }
                public bool Sliding { get; set; }
                public int MaxSize { get; set; }
                public string? Cache { get; set; }
                public bool CacheNull { get; set; }
                public bool Distributed { get; set; }
                public string[]? Tags { get; set; }
                public bool Sensitive { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Parameter)]
            public sealed class NotCacheKeyAttribute : System.Attribute { }

            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class PooledAttribute : System.Attribute
            {
                public int MaxRetained { get; set; } = 100;
            }

            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class LazyStartupAttribute : System.Attribute
            {
                public int Priority { get; set; }
                public System.Type[]? DependsOn { get; set; }
                public bool Eager { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Method | System.AttributeTargets.Class | System.AttributeTargets.Struct)]
            public sealed class MonitoredAttribute : System.Attribute
            {
                public string? Name { get; set; }
                public int SlowThresholdMs { get; set; }
            }
        }

        namespace Microsoft.Extensions.Logging
        {
            public interface ILogger { }
            public interface ILogger<out T> : ILogger { }
        }

        namespace Microsoft.Extensions.ObjectPool
        {
            public interface IResettable { bool TryReset(); }
        }
        """;
}
