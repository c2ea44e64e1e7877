using System.Collections;
using System.Reflection;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GopiAI.Toolkit.Generators.Tests.Common;

public class IncrementalCachingTests
{
    private static readonly string[] TrackedSteps =
    [
        TrackingNames.CachedMethods,
        TrackingNames.MonitoredMethods,
        TrackingNames.MonitoredTypes,
        TrackingNames.PooledTypes,
        TrackingNames.LazyStartupTypes,
        TrackingNames.LazyStartupRegistry,
    ];

    [Fact]
    public void RunGenerators_UnrelatedFileEdited_EveryTrackedStepCached()
    {
        var (first, second) = RunTwice(
            Samples.AllShapes,
            compilation => ReplaceTree(compilation, "Source1.cs", "namespace Other; public class Unrelated { public int Value { get; set; } }"));

        AssertAllTrackedStepsReused(second);
        Assert.Equal(Hints(first), Hints(second));
    }

    [Fact]
    public void RunGenerators_CoreBodyEditedInSameFile_OutputsUnchanged()
    {
        var (_, second) = RunTwice(
            Samples.AllShapes,
            compilation => ReplaceTree(compilation, "Source0.cs", Samples.AllShapes.Replace("return new Forecast(city, 20);", "return new Forecast(city, 21);", StringComparison.Ordinal)));

        AssertAllTrackedStepsReused(second);
    }

    [Fact]
    public void RunGenerators_TtlChanged_CachedStepModified()
    {
        var (_, second) = RunTwice(
            Samples.AllShapes,
            compilation => ReplaceTree(compilation, "Source0.cs", Samples.AllShapes.Replace("[Cached(300)]", "[Cached(301)]", StringComparison.Ordinal)));

        var outputs = Steps(second, TrackingNames.CachedMethods).SelectMany(s => s.Outputs).ToList();
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(outputs.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void TrackedStepOutputs_AllShapes_HoldNoSymbolsSyntaxOrCompilation()
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Samples.AllShapes));
        var result = driver.GetRunResult();

        var values = TrackedSteps.SelectMany(name => Steps(result, name)).SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            AssertPlainData(value, depth: 0);
        }
    }

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.CreateCompilation(source, "namespace Other; public class Unrelated { }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        driver = driver.RunGenerators(edit(compilation));
        return (first, driver.GetRunResult());
    }

    private static Compilation ReplaceTree(Compilation compilation, string path, string text)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));
    }

    private static void AssertAllTrackedStepsReused(GeneratorDriverRunResult result)
    {
        var found = 0;
        foreach (var name in TrackedSteps)
        {
            foreach (var step in Steps(result, name))
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    found++;
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
                }
            }
        }

        Assert.True(found >= 10, "expected outputs from every tracked step, found " + found);
        foreach (var output in result.Results.SelectMany(r => r.TrackedOutputSteps).SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "source output " + output.Reason);
        }
    }

    private static IEnumerable<IncrementalGeneratorRunStep> Steps(GeneratorDriverRunResult result, string name) =>
        result.Results.SelectMany(r => r.TrackedSteps.TryGetValue(name, out var steps) ? steps : []);

    private static string[] Hints(GeneratorDriverRunResult result) =>
        [.. result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName).Order(StringComparer.Ordinal)];

    private static void AssertPlainData(object? value, int depth)
    {
        Assert.True(depth < 12, "model graph too deep");
        switch (value)
        {
            case null or string or bool or int or long or Enum:
                return;
            case ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel or AttributeData:
                Assert.Fail("pipeline value holds a Roslyn object: " + value.GetType());
                return;
            case IEnumerable items:
                foreach (var item in items)
                {
                    AssertPlainData(item, depth + 1);
                }

                return;
        }

        var type = value.GetType();
        Assert.True(type.Namespace?.StartsWith("GopiAI.Toolkit.Generators", StringComparison.Ordinal) == true || type.IsGenericType, "unexpected pipeline value type " + type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
        {
            AssertPlainData(property.GetValue(value), depth + 1);
        }
    }
}
