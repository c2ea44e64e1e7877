using System.Linq.Expressions;

namespace GopiAI.Toolkit.SemanticMemory.VectorData;

/// <summary>
/// Turns a Microsoft.Extensions.VectorData filter on <see cref="MemoryRecord"/> into the memory's <see cref="SearchOptions"/>
/// filters, which the providers run in SQL: <c>&amp;&amp;</c> of <c>r.Role == v</c>, <c>r.Metadata["k"] == v</c>,
/// <c>r.Timestamp &gt;= t</c> and <c>r.Timestamp &lt; t</c>. Anything else is refused rather than filtered wrongly.
/// </summary>
internal static class FilterTranslator
{
    /// <exception cref="NotSupportedException">The filter uses a condition the memory cannot run (the message shows it).</exception>
    public static SearchOptions Apply(Expression<Func<MemoryRecord, bool>> filter, SearchOptions options)
    {
        var metadata = new Dictionary<string, string>(options.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var result = Visit(filter.Body, filter.Parameters[0], options, metadata);
        return result with { Metadata = metadata.Count > 0 ? metadata : null };
    }

    private static SearchOptions Visit(Expression node, ParameterExpression record, SearchOptions options, Dictionary<string, string> metadata)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                return Visit(and.Right, record, Visit(and.Left, record, options, metadata), metadata);

            case BinaryExpression { NodeType: ExpressionType.Equal } equal when Member(equal.Left, record) is { } member:
                return Equal(member, Value(equal.Right, record), options, metadata, node);

            case BinaryExpression { NodeType: ExpressionType.Equal } equal when Member(equal.Right, record) is { } member:
                return Equal(member, Value(equal.Left, record), options, metadata, node);

            case BinaryExpression { NodeType: ExpressionType.GreaterThanOrEqual } from when Member(from.Left, record) is { Name: nameof(MemoryRecord.Timestamp) }:
                return options with { From = Max(options.From, Time(Value(from.Right, record), node)) };

            case BinaryExpression { NodeType: ExpressionType.LessThan } to when Member(to.Left, record) is { Name: nameof(MemoryRecord.Timestamp) }:
                return options with { To = Min(options.To, Time(Value(to.Right, record), node)) };

            default:
                throw Unsupported(node);
        }
    }

    private static SearchOptions Equal(Field field, object? value, SearchOptions options, Dictionary<string, string> metadata, Expression node)
    {
        if (value is not string text)
        {
            throw Unsupported(node);
        }

        switch (field.Name)
        {
            case nameof(MemoryRecord.Role):
                return options.Role is null || options.Role == text ? options with { Role = text } : throw new NotSupportedException($"Two different roles in one filter ({node}) match nothing; filter on one.");
            case nameof(MemoryRecord.Metadata) when field.Key is { } key:
                if (metadata.TryGetValue(key, out var existing) && existing != text)
                {
                    throw new NotSupportedException($"Two different values for metadata '{key}' in one filter ({node}) match nothing; filter on one.");
                }

                metadata[key] = text;
                return options;
            default:
                throw Unsupported(node);
        }
    }

    /// <summary>A property of the record (<c>r.Role</c>) or an entry of its metadata (<c>r.Metadata["k"]</c>), seen through conversions.</summary>
    private static Field? Member(Expression node, ParameterExpression record)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        return node switch
        {
            MemberExpression { Expression: var target } member when target == record => new Field(member.Member.Name, null),
            MethodCallExpression { Method.Name: "get_Item", Object: MemberExpression { Member.Name: nameof(MemoryRecord.Metadata), Expression: var target }, Arguments: [var key] } when target == record
                => new Field(nameof(MemoryRecord.Metadata), Value(key, record) as string ?? throw Unsupported(node)),
            _ => null,
        };
    }

    /// <summary>Evaluates a part of the filter that does not read the record (a constant or a captured variable).</summary>
    private static object? Value(Expression node, ParameterExpression record)
    {
        if (new ReadsRecord(record).Check(node))
        {
            throw Unsupported(node);
        }

        return node is ConstantExpression constant ? constant.Value : Expression.Lambda(node).Compile().DynamicInvoke();
    }

    private static DateTimeOffset Time(object? value, Expression node) => value switch
    {
        DateTimeOffset time => time,
        DateTime time => new DateTimeOffset(time.ToUniversalTime()),
        _ => throw Unsupported(node),
    };

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static NotSupportedException Unsupported(Expression node) =>
        new($"The GopiAI memory cannot filter on '{node}': use && of r.Role == value, r.Metadata[\"key\"] == value, r.Timestamp >= time and r.Timestamp < time.");

    private sealed record Field(string Name, string? Key);

    private sealed class ReadsRecord(ParameterExpression record) : ExpressionVisitor
    {
        private bool _found;

        public bool Check(Expression node)
        {
            Visit(node);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == record;
            return node;
        }
    }
}
