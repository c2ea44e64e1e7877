using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.Monitored;
using GopiAI.Toolkit.Rules;

namespace GopiAI.Toolkit.Generators.Cached;

/// <summary>
/// Writes a <c>[Cached(Distributed = true)]</c> method: a <c>TieredCache</c> (in-process L1 in front of HybridCache/Redis)
/// per type, the stable distributed key and tags, the JSON metadata of the result, and Invalidate methods that reach
/// every instance.
/// </summary>
internal static class CachedDistributedEmitter
{
    private const string TieredCache = "global::GopiAI.Toolkit.Caching.TieredCache";
    private const string TieredCacheOptions = "global::GopiAI.Toolkit.Caching.TieredCacheOptions";
    private const string CacheKeys = "global::GopiAI.Toolkit.Caching.CacheKeys";

    public static void WriteMembers(SourceWriter writer, MethodModel method)
    {
        var cache = method.Cache!;
        var stem = method.Name + method.MemberSuffix;
        var keyType = stem + "CacheKey";
        var field = "__" + stem + "_cache";
        var getCache = "__" + stem + "_GetCache";
        var json = "__" + stem + "_Json";
        var cacheType = TieredCache + "<" + keyType + ", " + method.ResultType + ">";
        var keyParameters = method.Parameters.Where(p => p.IsKey).ToList();
        var name = method.Type.DisplayName + "." + stem;

        writer.Line("/// <summary>Cache key of <c>" + method.Name + "</c>: its arguments except cancellation tokens and [NotCacheKey] parameters.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private readonly record struct " + keyType + "(" + string.Join(", ", keyParameters.Select(p => p.Type + " " + p.Name)) + ");");
        writer.Line();

        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private static " + cacheType + "? " + field + ";");
        writer.Line();
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        writer.Line("private static " + cacheType + " " + getCache + "() => " + KnownTypeNames.Volatile + ".Read(ref " + field + ") ?? __" + stem + "_CreateCache();");
        writer.Line();

        // One cache per name in CacheManager.Shared (CreateTieredCache returns the existing one), so a lost race is harmless.
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("private static " + cacheType + " __" + stem + "_CreateCache()");
        writer.Line("var __created = " + KnownTypeNames.CacheManager + ".Shared.CreateTieredCache(new " + TieredCacheOptions + "<" + keyType + ", " + method.ResultType + ">");
        writer.Open();
        writer.Line("Name = " + FileEmitter.Literal(name) + ",");
        writer.Line("DistributedKey = static __key => " + KeyExpression(name, keyParameters) + ",");
        if (cache.Tags.Count > 0)
        {
            writer.Line("Tags = static __key => new string[] { " + string.Join(", ", cache.Tags.Select(TagExpression)) + " },");
        }

        writer.Line("TypeInfo = " + json + ".TypeInfo,");
        writer.Line("MaxSize = " + cache.MaxSize.ToString(CultureInfo.InvariantCulture) + ",");
        if (cache.TtlTicks > 0)
        {
            writer.Line("Ttl = " + KnownTypeNames.TimeSpan + ".FromTicks(" + cache.TtlTicks.ToString(CultureInfo.InvariantCulture) + "), // " +
                System.TimeSpan.FromTicks(cache.TtlTicks).ToString("c", CultureInfo.InvariantCulture));
        }

        writer.Line("CacheNull = " + (cache.CacheNull ? "true" : "false") + ",");
        writer.Line("Sensitive = " + (cache.Sensitive ? "true" : "false") + ",");
        writer.Close(");");
        writer.Line(KnownTypeNames.Volatile + ".Write(ref " + field + ", __created);");
        writer.Line("return __created;");
        writer.Close();
        writer.Line();

        WriteBody(writer, method, getCache, keyType);
        writer.Line();
        WriteInvalidate(writer, method, getCache, keyType, keyParameters);
        writer.Line();
        CachedJsonEmitter.WriteResolver(writer, json, method.ResultType!, cache.Json);
    }

    private static string KeyExpression(string name, List<ParameterModel> keyParameters)
    {
        var prefix = FileEmitter.Literal("gopi:" + name + ":");
        if (keyParameters.Count == 0)
        {
            return prefix;
        }

        var parts = keyParameters.Select(p => CacheKeys + ".Format(__key." + p.Name + ")");
        return "string.Concat(" + prefix + ", " + string.Join(", \"|\", ", parts) + ")";
    }

    private static string TagExpression(string template)
    {
        var parts = CacheTagRules.Split(template)!;
        var pieces = parts.Select(p => p.IsParameter ? CacheKeys + ".Format(__key." + SymbolHelpers.EscapeIdentifier(p.Text) + ")" : FileEmitter.Literal(p.Text)).ToList();
        return pieces.Count == 1 && !parts[0].IsParameter ? pieces[0] : "string.Concat(" + string.Join(", ", pieces) + ")";
    }

    private static void WriteBody(SourceWriter writer, MethodModel method, string getCache, string keyType)
    {
        var monitor = method.Monitor;
        var isAsync = method.ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT;
        var token = method.Parameters.FirstOrDefault(p => p.IsCancellationToken)?.Name;
        var key = "new " + keyType + "(" + string.Join(", ", method.Parameters.Where(p => p.IsKey).Select(p => p.Name)) + ")";

        var state = new List<string>();
        if (!method.IsStatic)
        {
            state.Add("this");
        }

        state.AddRange(method.Parameters.Where(p => !p.IsKey && !p.IsCancellationToken).Select(p => p.Name));
        string StateAccess(int index) => state.Count == 1 ? "__state" : "__state.Item" + (index + 1).ToString(CultureInfo.InvariantCulture);
        var arguments = method.Parameters.Select(p => p.IsKey ? "__key." + p.Name : p.IsCancellationToken ? "__ct" : StateAccess(state.IndexOf(p.Name)));
        var target = method.IsStatic ? method.CoreName : StateAccess(0) + "." + method.CoreName;
        var coreCall = target + "(" + string.Join(", ", arguments) + ")";
        var stateExpression = state.Count switch
        {
            0 => "(object?)null",
            1 => state[0],
            _ => "(" + string.Join(", ", state) + ")",
        };

        string call;
        if (isAsync)
        {
            var factory = method.ReturnKind == ReturnKind.TaskOfT
                ? "static (__key, __state, __ct) => new " + KnownTypeNames.ValueTask + "<" + method.ResultType + ">(" + coreCall + ")"
                : "static (__key, __state, __ct) => " + coreCall;
            call = getCache + "().GetOrCreateAsync(" + key + ", " + stateExpression + ", " + factory + (token is null ? string.Empty : ", " + token) + ")";
        }
        else
        {
            call = getCache + "().GetOrCreate(" + key + ", " + stateExpression + ", static (__key, __state) => " + coreCall + ")";
        }

        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open(PartialMethodEmitter.Signature(method, isAsync && monitor is not null));
        if (monitor is null)
        {
            writer.Line("return " + call + (method.ReturnKind == ReturnKind.TaskOfT ? ".AsTask()" : string.Empty) + ";");
            writer.Close();
            return;
        }

        MonitoredEmitter.WriteStart(writer, monitor, withCacheHit: false);
        writer.Open("try");
        writer.Line("var __result = " + (isAsync ? "await " + call + ".ConfigureAwait(false)" : call) + ";");
        writer.Line("__success = true;");
        writer.Line("return __result;");
        writer.Close();
        MonitoredEmitter.WriteFinally(writer, method, withCacheHit: false);
        writer.Close();
    }

    private static void WriteInvalidate(SourceWriter writer, MethodModel method, string getCache, string keyType, List<ParameterModel> keyParameters)
    {
        var access = method.AccessModifiers + " " + (method.IsStatic ? "static " : string.Empty);
        var parameters = string.Join(", ", keyParameters.Select(p => p.Type + " " + p.Name));
        var key = "new " + keyType + "(" + string.Join(", ", keyParameters.Select(p => p.Name)) + ")";
        var withToken = (parameters.Length == 0 ? string.Empty : parameters + ", ") + "global::System.Threading.CancellationToken cancellationToken = default";
        var suffix = method.MemberSuffix;

        writer.Line("/// <summary>Removes the cached result of <c>" + method.Name + "</c> for these arguments here at once, and from the distributed cache and every other instance in the background.</summary>");
        writer.Line("/// <returns><see langword=\"true\"/> when this instance held an entry.</returns>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line(access + "bool Invalidate" + method.Name + "(" + parameters + ") => " + getCache + "().Invalidate(" + key + ");");
        writer.Line();
        writer.Line("/// <summary>Removes the cached result of <c>" + method.Name + "</c> for these arguments here, from the distributed cache and (by a published message) from every other instance.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line(access + KnownTypeNames.ValueTask + " Invalidate" + method.Name + "Async(" + withToken + ") => " + getCache + "().InvalidateAsync(" + key + ", cancellationToken);");
        writer.Line();
        writer.Line("/// <summary>Removes every cached result of <c>" + method.Name + "</c> here at once, and from the distributed cache and every other instance in the background.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line(access + "void InvalidateAll" + method.Name + suffix + "() => " + getCache + "().Clear();");
        writer.Line();
        writer.Line("/// <summary>Removes every cached result of <c>" + method.Name + "</c> here, from the distributed cache and from every other instance.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line(access + KnownTypeNames.ValueTask + " InvalidateAll" + method.Name + suffix + "Async(global::System.Threading.CancellationToken cancellationToken = default) => " + getCache + "().ClearAsync(cancellationToken);");
    }
}
