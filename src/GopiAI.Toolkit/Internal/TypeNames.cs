namespace GopiAI.Toolkit.Internal;

internal static class TypeNames
{
    /// <summary>C#-like display name: <c>List&lt;String&gt;</c> rather than <c>List`1</c>; plain <c>Type.Name</c> for non-generic types.</summary>
    public static string Display(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(",", type.GetGenericArguments().Select(Display))}>";
    }
}
