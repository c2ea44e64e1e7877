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
        WriteFinally(writer, monitor, withCacheHit: false);
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

    public static void WriteFinally(SourceWriter writer, MonitorModel monitor, bool withCacheHit)
    {
        var stop = "__scope.Stop(__success" + (withCacheHit ? ", __cacheHit" : string.Empty) + ")";
        writer.Open("finally");
        if (monitor.SlowThresholdMs > 0 && monitor.LoggerExpression is not null)
        {
            var threshold = monitor.SlowThresholdMs.ToString(CultureInfo.InvariantCulture);
            writer.Line("var __elapsed = " + stop + ";");
            writer.Open("if (__elapsed.TotalMilliseconds >= " + threshold + " && " + monitor.LoggerExpression + " is { } __logger)");
            writer.Line(KnownTypeNames.LoggerExtensions + ".LogWarning(__logger, \"Slow call to {Endpoint}: {ElapsedMilliseconds} ms (threshold {ThresholdMilliseconds} ms)\", "
                + FileEmitter.Literal(monitor.EndpointName) + ", __elapsed.TotalMilliseconds, " + threshold + ");");
            writer.Close();
        }
        else
        {
            writer.Line(stop + ";");
        }

        writer.Close();
    }
}
