using GopiAI.Toolkit.Generators.Cached;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.Monitored;

namespace GopiAI.Toolkit.Generators.Common;

/// <summary>
/// Writes the implementation of a partial method: the cache members and a cached body when the method has <c>[Cached]</c>,
/// wrapped by the monitor when it also has <c>[Monitored]</c>; otherwise a monitored body.
/// </summary>
internal static class PartialMethodEmitter
{
    public static string Emit(MethodModel method) => FileEmitter.Emit(method.Type, writer =>
    {
        MonitoredEmitter.WriteMembers(writer, method);
        if (method.Cache is not null)
        {
            CachedEmitter.WriteMembers(writer, method);
        }
        else
        {
            MonitoredEmitter.WriteBody(writer, method);
        }
    });

    /// <summary>The implementing declaration's head, e.g. <c>public async partial Task&lt;int&gt; GetAsync(int id)</c>.</summary>
    public static string Signature(MethodModel method, bool isAsync)
    {
        var parameters = string.Join(", ", System.Linq.Enumerable.Select(method.Parameters, p => p.Prefix + p.Type + " " + p.Name));
        var modifiers = method.Modifiers.Length == 0 ? string.Empty : method.Modifiers + " ";
        return modifiers + (isAsync ? "async " : string.Empty) + "partial " + method.ReturnType + " " + method.Name + "(" + parameters + ")";
    }

    /// <summary>The argument list that forwards every parameter unchanged.</summary>
    public static string ForwardArguments(MethodModel method) =>
        string.Join(", ", System.Linq.Enumerable.Select(method.Parameters, p => p.Name));
}
