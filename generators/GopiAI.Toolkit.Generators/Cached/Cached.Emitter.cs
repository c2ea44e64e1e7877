using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Generators.Monitored;

namespace GopiAI.Toolkit.Generators.Cached;

/// <summary>Writes the key type, the cache field, the cached body and the Invalidate methods of a <c>[Cached]</c> method.</summary>
internal static class CachedEmitter
{
    public static void WriteMembers(SourceWriter writer, MethodModel method)
    {
        var cache = method.Cache!;
        if (cache.Distributed)
        {
            CachedDistributedEmitter.WriteMembers(writer, method);
            return;
        }

        var names = new Names(method);
        var keyParameters = method.Parameters.Where(p => p.IsKey).ToList();
        var isShared = cache.CacheName is not null;
        var staticModifier = method.IsStatic || isShared ? "static " : string.Empty;

        // Key: a record struct of the key parameters, so equality is by value and never by ToString().
        writer.Line("/// <summary>Cache key of <c>" + method.Name + "</c>: its arguments except cancellation tokens and [NotCacheKey] parameters.</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private readonly record struct " + names.KeyType + "(" + string.Join(", ", keyParameters.Select(p => p.Type + " " + p.Name)) + ");");
        writer.Line();

        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("private " + staticModifier + names.CacheType + "? " + names.Field + ";");
        writer.Line();

        // The hit path: one field read, inlined into the method body.
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        writer.Line("private " + staticModifier + names.CacheType + " " + names.GetCache + "() => " + names.Field + " ?? " + names.CreateCache + "();");
        writer.Line();

        WriteCreateCache(writer, method, names, staticModifier);
        writer.Line();
        WriteBody(writer, method, names);
        writer.Line();
        WriteInvalidate(writer, method, names, keyParameters);
    }

    private static void WriteCreateCache(SourceWriter writer, MethodModel method, Names names, string staticModifier)
    {
        var cache = method.Cache!;
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("private " + staticModifier + names.CacheType + " " + names.CreateCache + "()");
        if (cache.CacheName is not null)
        {
            // A named cache belongs to CacheManager; it is shared by every instance and keeps its own limits.
            writer.Line("var __cache = " + KnownTypeNames.CacheManager + ".Shared.GetCache(" + FileEmitter.Literal(cache.CacheName) + ");");
            writer.Line(KnownTypeNames.Interlocked + ".CompareExchange(ref " + names.Field + ", __cache, null);");
            writer.Line("return __cache;");
            writer.Close();
            return;
        }

        var cacheName = method.Type.DisplayName + "." + method.Name + method.MemberSuffix;
        writer.Line("var __created = new " + names.CacheType + "(new " + KnownTypeNames.LruCacheOptions);
        writer.Open();
        writer.Line("Name = " + FileEmitter.Literal(cacheName) + ",");
        writer.Line("MaxSize = " + cache.MaxSize.ToString(CultureInfo.InvariantCulture) + ",");
        if (cache.TtlTicks > 0)
        {
            writer.Line("DefaultTtl = " + KnownTypeNames.TimeSpan + ".FromTicks(" + cache.TtlTicks.ToString(CultureInfo.InvariantCulture) + "), // " +
                System.TimeSpan.FromTicks(cache.TtlTicks).ToString("c", CultureInfo.InvariantCulture));
        }

        writer.Line("Sliding = " + Bool(cache.Sliding) + ",");
        writer.Line("CacheNullValues = " + Bool(cache.CacheNull) + ",");
        if (cache.Sensitive)
        {
            writer.Line("SensitiveValues = true, // zeroed or disposed when they leave the cache");
        }

        writer.Line("TimeProvider = " + KnownTypeNames.CacheManager + ".Shared.TimeProvider,");
        writer.Close(");");
        writer.Line("var __existing = " + KnownTypeNames.Interlocked + ".CompareExchange(ref " + names.Field + ", __created, null);");
        writer.Open("if (__existing is not null)");
        writer.Line("// Another thread created the cache first; use that one.");
        writer.Line("__created.Dispose();");
        writer.Line("return __existing;");
        writer.Close();
        writer.Line();
        writer.Line(KnownTypeNames.CacheManager + ".Shared.Register(__created.Name, __created);");
        writer.Line("return __created;");
        writer.Close();
    }

    private static void WriteBody(SourceWriter writer, MethodModel method, Names names)
    {
        var cache = method.Cache!;
        var isShared = cache.CacheName is not null;
        var monitor = method.Monitor;
        var isAsyncResult = method.ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT;
        var token = method.Parameters.FirstOrDefault(p => p.IsCancellationToken)?.Name;
        var key = "new " + names.KeyType + "(" + string.Join(", ", method.Parameters.Where(p => p.IsKey).Select(p => p.Name)) + ")";
        var lookup = BuildLookup(method, names, isShared, isAsyncResult, token);
        var unbox = isShared ? "(" + method.ResultType + ")" : string.Empty;
        var bang = isShared ? "!" : string.Empty;

        // The generated method is async when something must happen after the result arrives (monitor, unboxing).
        var needsAsync = isAsyncResult && (monitor is not null || isShared);
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open(PartialMethodEmitter.Signature(method, needsAsync));

        if (monitor is null)
        {
            var call = names.GetCache + "()." + lookup.Replace("{key}", isShared ? "(object)" + key : key);
            if (!isAsyncResult)
            {
                writer.Line("return " + unbox + call + bang + ";");
            }
            else if (isShared)
            {
                writer.Line("return " + unbox + "(await " + call + ".ConfigureAwait(false))" + bang + ";");
            }
            else
            {
                writer.Line("return " + call + (method.ReturnKind == ReturnKind.TaskOfT ? ".AsTask()" : string.Empty) + ";");
            }

            writer.Close();
            return;
        }

        // Monitor outermost: a hit is recorded as a hit, a miss times the Core call through the cache.
        MonitoredEmitter.WriteStart(writer, monitor, withCacheHit: true);
        writer.Open("try");
        writer.Line("var __cache = " + names.GetCache + "();");
        writer.Line("var __key = " + (isShared ? "(object)" : string.Empty) + key + ";");
        // The probe counts a hit but not a miss: on a miss GetOrAdd below counts it, once.
        writer.Open("if (__cache.TryGet(__key, out var __cached, recordMiss: false))");
        writer.Line("__cacheHit = true;");
        writer.Line("__success = true;");
        writer.Line("return " + unbox + "__cached" + bang + ";");
        writer.Close();
        writer.Line();
        var miss = "__cache." + lookup.Replace("{key}", "__key");
        writer.Line("var __result = " + (isAsyncResult ? "await " + miss + ".ConfigureAwait(false)" : miss) + ";");
        writer.Line("__success = true;");
        writer.Line("return " + unbox + "__result" + bang + ";");
        writer.Close();
        MonitoredEmitter.WriteFinally(writer, method, withCacheHit: true);
        writer.Close();
    }

    /// <summary>
    /// The <c>GetOrAdd</c>/<c>GetOrAddAsync</c> call with a static factory lambda (no closure, so a hit allocates nothing),
    /// with <c>{key}</c> left for the caller to fill in.
    /// </summary>
    private static string BuildLookup(MethodModel method, Names names, bool isShared, bool isAsyncResult, string? token)
    {
        // State handed to the static factory: the instance (for instance methods) and the parameters that are not in the key.
        var state = new List<string>();
        if (!method.IsStatic)
        {
            state.Add("this");
        }

        var extras = method.Parameters.Where(p => !p.IsKey && !p.IsCancellationToken).ToList();
        state.AddRange(extras.Select(p => p.Name));
        string StateAccess(int index) => state.Count == 1 ? "__state" : "__state.Item" + (index + 1).ToString(CultureInfo.InvariantCulture);

        var keyAccess = isShared ? "((" + names.KeyType + ")__key)" : "__key";
        var arguments = method.Parameters.Select(p =>
            p.IsKey ? keyAccess + "." + p.Name
            : p.IsCancellationToken ? "__ct"
            : StateAccess(state.IndexOf(p.Name)));
        var target = method.IsStatic ? method.CoreName : StateAccess(0) + "." + method.CoreName;
        var coreCall = target + "(" + string.Join(", ", arguments) + ")";
        var stateExpression = state.Count switch
        {
            0 => "(object?)null",
            1 => state[0],
            _ => "(" + string.Join(", ", state) + ")",
        };

        // A named cache is shared with other methods, so each entry carries this method's TTL.
        var ttl = isShared && method.Cache!.TtlTicks > 0
            ? ", " + KnownTypeNames.TimeSpan + ".FromTicks(" + method.Cache.TtlTicks.ToString(CultureInfo.InvariantCulture) + ")"
            : string.Empty;
        if (!isAsyncResult)
        {
            var factory = "static (__key, __state) => " + (isShared ? "(object?)" : string.Empty) + coreCall;
            return "GetOrAdd({key}, " + factory + ", " + stateExpression + ttl + ")";
        }

        string asyncFactory;
        if (isShared)
        {
            asyncFactory = "static async (__key, __state, __ct) => (object?)await " + coreCall + ".ConfigureAwait(false)";
        }
        else if (method.ReturnKind == ReturnKind.TaskOfT)
        {
            asyncFactory = "static (__key, __state, __ct) => new " + KnownTypeNames.ValueTask + "<" + method.ResultType + ">(" + coreCall + ")";
        }
        else
        {
            asyncFactory = "static (__key, __state, __ct) => " + coreCall;
        }

        return "GetOrAddAsync({key}, " + asyncFactory + ", " + stateExpression + ttl + (token is null ? string.Empty : ", " + token) + ")";
    }

    private static void WriteInvalidate(SourceWriter writer, MethodModel method, Names names, List<ParameterModel> keyParameters)
    {
        var isShared = method.Cache!.CacheName is not null;
        var access = method.AccessModifiers + " " + (method.IsStatic ? "static " : string.Empty);
        var key = "new " + names.KeyType + "(" + string.Join(", ", keyParameters.Select(p => p.Name)) + ")";

        writer.Line("/// <summary>Removes the cached result of <c>" + method.Name + "</c> for these arguments, so the next call runs <c>" + method.CoreName + "</c>.</summary>");
        writer.Line("/// <returns><see langword=\"true\"/> when an entry was removed.</returns>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Line(access + "bool Invalidate" + method.Name + "(" + string.Join(", ", keyParameters.Select(p => p.Type + " " + p.Name)) + ") => "
            + names.Field + "?.Invalidate(" + (isShared ? "(object)" : string.Empty) + key + ") ?? false;");
        writer.Line();

        if (isShared)
        {
            writer.Line("/// <summary>Clears the shared cache <c>" + method.Cache.CacheName + "</c> that stores the results of <c>" + method.Name + "</c> (and of every other method using it).</summary>");
            writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
            writer.Line(access + "void InvalidateAll" + method.Name + method.MemberSuffix + "() => " + KnownTypeNames.CacheManager + ".Shared.Invalidate(" + FileEmitter.Literal(method.Cache.CacheName!) + ");");
        }
        else
        {
            writer.Line("/// <summary>Removes every cached result of <c>" + method.Name + "</c>" + (method.IsStatic ? "." : " for this instance.") + "</summary>");
            writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
            writer.Line(access + "void InvalidateAll" + method.Name + method.MemberSuffix + "() => " + names.Field + "?.Clear();");
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private sealed class Names
    {
        public Names(MethodModel method)
        {
            var stem = method.Name + method.MemberSuffix;
            KeyType = stem + "CacheKey";
            Field = "__" + stem + "_cache";
            GetCache = "__" + stem + "_GetCache";
            CreateCache = "__" + stem + "_CreateCache";
            CacheType = method.Cache!.CacheName is not null
                ? KnownTypeNames.LruCache + "<object, object?>"
                : KnownTypeNames.LruCache + "<" + KeyType + ", " + method.ResultType + ">";
        }

        public string KeyType { get; }

        public string Field { get; }

        public string GetCache { get; }

        public string CreateCache { get; }

        public string CacheType { get; }
    }
}
