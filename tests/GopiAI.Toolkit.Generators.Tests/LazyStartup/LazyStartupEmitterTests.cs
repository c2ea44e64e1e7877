using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.LazyStartup;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;

namespace GopiAI.Toolkit.Generators.Tests.LazyStartup;

public class LazyStartupEmitterTests
{
    [Fact]
    public void Emit_WithOptions_RegistersFromModuleInitializer()
    {
        var model = new LazyStartupModel(Models.Type("Ai", "Model"), "Ai.Model", 3, new[] { "Ai.Tokenizer", "Ai.Vocab" }.ToEquatableArray(), Eager: true);

        var text = LazyStartupEmitter.Emit(model);

        Assert.Contains(
            """
                [global::System.Runtime.CompilerServices.ModuleInitializer]
                [global::System.CodeDom.Compiler.GeneratedCodeAttribute("GopiAI.Toolkit.Generators", "0.1.0")]
                internal static void __RegisterLazyStartup()
                {
                    global::GopiAI.Toolkit.Startup.StartupOptimizer.Shared.RegisterLazyLoader<global::Ai.Model>(
                        LazyStartupName,
                        static () => new global::Ai.Model(),
                        new global::GopiAI.Toolkit.Startup.LazyLoaderOptions
                        {
                            Priority = 3,
                            DependsOn = new string[] { "Ai.Tokenizer", "Ai.Vocab" },
                            Eager = true,
                        });
                }
            """.ReplaceLineEndings("\n"),
            text,
            StringComparison.Ordinal);
        Assert.Contains("    public const string LazyStartupName = \"Ai.Model\";\n", text, StringComparison.Ordinal);
        Assert.Contains("    public static global::Ai.Model Instance => global::System.Threading.Volatile.Read(ref __instance) ?? __LoadInstance();\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_NoDependencies_UsesEmptyArray()
    {
        var text = LazyStartupEmitter.Emit(new LazyStartupModel(Models.Type(null, "Model"), "Model", 0, EquatableArray<string>.Empty, Eager: false));

        Assert.Contains("DependsOn = global::System.Array.Empty<string>(),", text, StringComparison.Ordinal);
        Assert.Contains("Eager = false,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EmitServiceCollectionExtensions_AssemblyName_InternalClassInAssemblyNamespace()
    {
        var models = new[]
        {
            new LazyStartupModel(Models.Type("Ai", "Vocab"), "Ai.Vocab", 0, EquatableArray<string>.Empty, Eager: false),
            new LazyStartupModel(Models.Type("Ai", "Model"), "Ai.Model", 0, EquatableArray<string>.Empty, Eager: false),
        }.ToEquatableArray();

        var text = LazyStartupEmitter.EmitServiceCollectionExtensions("My-App.2nd", models);

        Assert.Contains("namespace My_App._2nd;\n", text, StringComparison.Ordinal);
        Assert.Contains("internal static class LazyStartupServiceCollectionExtensions\n", text, StringComparison.Ordinal);
        var model = text.IndexOf("TryAddSingleton<global::Ai.Model>(services, static _ => global::Ai.Model.Instance);", StringComparison.Ordinal);
        var vocab = text.IndexOf("TryAddSingleton<global::Ai.Vocab>(services, static _ => global::Ai.Vocab.Instance);", StringComparison.Ordinal);
        Assert.True(model > 0 && vocab > model, text);
    }
}
