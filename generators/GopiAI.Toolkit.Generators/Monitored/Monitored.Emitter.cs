using System.Globalization;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;

namespace GopiAI.Toolkit.Generators.Monitored;

/// <summary>Writes monitored method bodies and the scope start/stop used around cached bodies.</summary>
internal static class MonitoredEmitter
{
    /// <summary>Writes a body that times the call of <c>{Name}Core</c>, to its completion for async methods.</summary>
    public static void WriteBody(SourceWriter writer, MethodModel method)
    {
        var monitor = method.Monitor!;
        var call = method.CoreName + "(" + PartialMethodEmitter.ForwardArguments(method) + ")";
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open(PartialMethodEmitter.Signature(method, method.IsAsync));
        WriteStart(writer, monitor, withCacheHit: false);
        writer.Open("try");
        switch (method.ReturnKind)
        {
            case ReturnKind.Void:
                writer.Line(call + ";");
                writer.Line("__success = true;");
                break;
            case ReturnKind.Task:
            case ReturnKind.ValueTask:
                writer.Line("await " + call + ".ConfigureAwait(false);");
                writer.Line("__success = true;");
                break;
            case ReturnKind.TaskOfT:
            case ReturnKind.ValueTaskOfT:
                writer.Line("var __result = await " + call + ".ConfigureAwait(false);");
                writer.Line("__success = true;");
                writer.Line("return __result;");
                break;
            default:
                writer.Line("var __result = " + call + ";");
                writer.Line("__success = true;");
                writer.Line("return __result;");
                break;
        }

        writer.Close();
        WriteFinally(writer, method, withCacheHit: false);
        writer.Close();
    }

    public static void WriteStart(SourceWriter writer, MonitorModel monitor, bool withCacheHit)
    {
        writer.Line("var __scope = " + KnownTypeNames.MonitoredScope + ".Start(" + FileEmitter.Literal(monitor.EndpointName) + ");");
        writer.Line("var __success = false;");
        if (withCacheHit)
        {
            writer.Line("var __cacheHit = false;");
        }
    }

    /// <summary>
    /// Writes the member-level state of the monitor: the slow-call log message, defined once per method with
    /// <c>LoggerMessage.Define</c> so a slow call formats no params array and checks <c>IsEnabled</c> first.
    /// </summary>
    public static void WriteMembers(SourceWriter writer, MethodModel method)
    {
        if (method.Monitor is not { SlowThresholdMs: > 0, LoggerExpression: not null })
        {
            return;
        }

        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private static readonly global::System.Action<" + KnownTypeNames.ILoggerGlobal + ", string, double, int, global::System.Exception?> " + SlowCallField(method) + " =");
        writer.Line("    " + KnownTypeNames.LoggerMessage + ".Define<string, double, int>(" + KnownTypeNames.LogLevel + ".Warning, new " + KnownTypeNames.EventId
            + "(1, \"SlowCall\"), \"Slow call to {Endpoint}: {ElapsedMilliseconds} ms (threshold {ThresholdMilliseconds} ms)\");");
        writer.Line();
    }

    public static void WriteFinally(SourceWriter writer, MethodModel method, bool withCacheHit)
    {
        var monitor = method.Monitor!;
        var stop = "__scope.Stop(__success" + (withCacheHit ? ", __cacheHit" : string.Empty) + ")";
        writer.Open("finally");
        if (monitor.SlowThresholdMs > 0 && monitor.LoggerExpression is not null)
        {
            var threshold = monitor.SlowThresholdMs.ToString(CultureInfo.InvariantCulture);
            writer.Line("var __elapsed = " + stop + ";");
            writer.Open("if (__elapsed.TotalMilliseconds >= " + threshold + " && " + monitor.LoggerExpression + " is { } __logger)");
            writer.Line(SlowCallField(method) + "(__logger, " + FileEmitter.Literal(monitor.EndpointName) + ", __elapsed.TotalMilliseconds, " + threshold + ", null);");
            writer.Close();
        }
        else
        {
            writer.Line(stop + ";");
        }

        writer.Close();
    }

    private static string SlowCallField(MethodModel method) => "__" + method.Name + method.MemberSuffix + "SlowCall";
}
