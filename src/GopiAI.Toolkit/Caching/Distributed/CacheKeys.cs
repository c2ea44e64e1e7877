using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Formats the parts of distributed cache keys and tags, so that the same arguments give the same string in every process
/// (invariant culture, round-trip date formats) and different arguments never collide (separators are escaped).
/// Generated <c>[Cached(Distributed = true)]</c> code builds keys as
/// <c>gopi:{Namespace.Type}.{Method}:{arg1}|{arg2}|…</c> from these parts (docs/distributed-caching.md).
/// </summary>
public static class CacheKeys
{
    /// <summary>The prefix of every distributed key written by generated code.</summary>
    public const string Prefix = "gopi:";

    /// <summary>The separator between the formatted arguments of a key.</summary>
    public const char Separator = '|';

    /// <summary>Stands for a <see langword="null"/> argument (a literal <c>~</c> argument is escaped as <c>\~</c>).</summary>
    public const string Null = "~";

    /// <summary>
    /// Formats one key argument: <see langword="null"/> as <c>~</c>; strings escaped (<c>\</c>, <c>|</c>, a leading <c>~</c>);
    /// dates in the round-trip format <c>O</c>; other <see cref="IFormattable"/> values in the invariant culture; anything else
    /// through <see cref="object.ToString"/> (give complex key types a stable <c>ToString</c>, as records have).
    /// </summary>
    /// <typeparam name="T">The argument type.</typeparam>
    /// <param name="value">The argument.</param>
    /// <returns>The formatted, escaped argument.</returns>
    public static string Format<T>(T value)
    {
        string? text = value switch
        {
            null => null,
            string s => s,
            bool b => b ? "true" : "false",
            DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return text is null ? Null : Escape(text);
    }

    /// <summary>Escapes <c>\</c> and <c>|</c>, and a leading <c>~</c>, so that formatted arguments never collide.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text (the same instance when nothing needed escaping).</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('\\', Separator) < 0 && !text.StartsWith('~'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '\\' or Separator || (c == '~' && builder.Length == 0))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
