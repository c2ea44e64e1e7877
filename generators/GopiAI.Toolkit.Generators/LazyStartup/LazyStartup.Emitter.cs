using System.Globalization;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;

namespace GopiAI.Toolkit.Generators.LazyStartup;

/// <summary>Writes <c>Instance</c> and the module initializer that registers a <c>[LazyStartup]</c> component.</summary>
internal static class LazyStartupEmitter
{
    public static string Emit(LazyStartupModel model) => FileEmitter.Emit(model.Type, writer =>
    {
        var type = model.Type.FullyQualifiedName;
        var name = FileEmitter.Literal(model.ComponentName);
        writer.Line("/// <summary>The name this component is registered under in <c>StartupOptimizer.Shared</c>.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("public const string LazyStartupName = " + name + ";");
        writer.Line();
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private static " + type + "? __instance;");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Gets the single instance, built on first use (once, even under contention) by <c>StartupOptimizer.Shared</c>,");
        writer.Line("/// which records its load time in the startup report.");
        writer.Line("/// </summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("public static " + type + " Instance => " + KnownTypeNames.Volatile + ".Read(ref __instance) ?? __LoadInstance();");
        writer.Line();
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("private static " + type + " __LoadInstance()");
        writer.Line("// StartupOptimizer builds the component once; every thread gets the same object.");
        writer.Line("var __loaded = " + KnownTypeNames.StartupOptimizer + ".Shared.GetComponent<" + type + ">(LazyStartupName);");
        writer.Line(KnownTypeNames.Volatile + ".Write(ref __instance, __loaded);");
        writer.Line("return __loaded;");
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>Registers the component with <c>StartupOptimizer.Shared</c> when the assembly loads; no reflection is involved.</summary>");
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("internal static void __RegisterLazyStartup()");
        writer.Line(KnownTypeNames.StartupOptimizer + ".Shared.RegisterLazyLoader<" + type + ">(");
        writer.Line("    LazyStartupName,");
        writer.Line("    static () => new " + type + "(),");
        writer.Line("    new " + KnownTypeNames.LazyLoaderOptions);
        writer.Line("    {");
        writer.Line("        Priority = " + model.Priority.ToString(CultureInfo.InvariantCulture) + ",");
        writer.Line("        DependsOn = " + (model.DependsOn.IsEmpty
            ? "global::System.Array.Empty<string>()"
            : "new string[] { " + string.Join(", ", model.DependsOn.Select(FileEmitter.Literal)) + " }") + ",");
        writer.Line("        Eager = " + (model.Eager ? "true" : "false") + ",");
        writer.Line("    });");
        writer.Close();
    });
}
