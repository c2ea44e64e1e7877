namespace GopiAI.Toolkit.Generators.Common.Models;

/// <summary>What a partial method returns, as far as the generated body cares.</summary>
internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>A parameter of a generated partial method.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="Type">The fully qualified type with nullable annotations.</param>
/// <param name="Prefix">Modifiers written before the type: <c>this </c>, <c>params </c> or empty.</param>
/// <param name="IsKey">Whether the parameter is part of the cache key.</param>
/// <param name="IsCancellationToken">Whether this is the cancellation token handed to the cache (the first <c>CancellationToken</c> of an async method).</param>
internal sealed record ParameterModel(string Name, string Type, string Prefix, bool IsKey, bool IsCancellationToken);

/// <summary>Options of <c>[Cached]</c>.</summary>
/// <param name="TtlTicks">Time to live in ticks; 0 means none.</param>
/// <param name="Distributed">Whether results go through the distributed (L2) cache.</param>
/// <param name="Sensitive">Whether results are sensitive (scrubbed on eviction, encrypted in the L2).</param>
/// <param name="Tags">The tag templates (constants or <c>{parameter}</c> placeholders over key parameters).</param>
/// <param name="Json">For distributed methods: the JSON shapes of the result type and everything it contains, root first.</param>
internal sealed record CacheModel(long TtlTicks, bool Sliding, int MaxSize, string? CacheName, bool CacheNull, bool Distributed = false, bool Sensitive = false, EquatableArray<string> Tags = default, EquatableArray<JsonTypeModel> Json = default);

/// <summary>A property of a JSON object shape.</summary>
internal sealed record JsonPropertyModel(string Name, string Type, bool HasSetter);

/// <summary>One type of a distributed method's JSON metadata (see <c>JsonShapeRules</c>).</summary>
internal sealed record JsonTypeModel(string Type, GopiAI.Toolkit.Rules.JsonShapeKind Kind, string? Converter, string? Element, bool IsValueType, EquatableArray<JsonPropertyModel> Properties, EquatableArray<string> ConstructorParameters);

/// <summary>Options of <c>[Monitored]</c>.</summary>
/// <param name="EndpointName">The endpoint name recorded for the method.</param>
/// <param name="SlowThresholdMs">Threshold for the slow-call warning; 0 when off.</param>
/// <param name="LoggerExpression">An expression giving the type's <c>ILogger</c>, or <see langword="null"/> when it has none.</param>
internal sealed record MonitorModel(string EndpointName, int SlowThresholdMs, string? LoggerExpression);

/// <summary>A partial method the generator implements by calling its <c>{Name}Core</c> method.</summary>
/// <param name="Modifiers">The modifiers of the declaration without <c>partial</c>, e.g. <c>public static</c>.</param>
/// <param name="ResultType">The awaited result type of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, or the return type of a synchronous method.</param>
/// <param name="AccessModifiers">The accessibility written on the declaration, reused for the Invalidate methods.</param>
/// <param name="MemberSuffix">Empty, or <c>_N</c> when the method name is overloaded, to keep generated member names unique.</param>
internal sealed record MethodModel(
    TypeModel Type,
    string Name,
    string Modifiers,
    string AccessModifiers,
    bool IsStatic,
    ReturnKind ReturnKind,
    string ReturnType,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    string MemberSuffix,
    CacheModel? Cache,
    MonitorModel? Monitor)
{
    public string HintName => Type.HintName + "." + Name + MemberSuffix + ".g.cs";

    public string CoreName => Name + "Core";

    public bool IsAsync => ReturnKind is ReturnKind.Task or ReturnKind.TaskOfT or ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
}
