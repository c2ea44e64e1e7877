// Shared source: compiled into GopiAI.Toolkit.Generators and linked into GopiAI.Toolkit.Analyzers (GOPI0012).
using System.Collections.Generic;

namespace GopiAI.Toolkit.Rules;

/// <summary>Reads <c>[Cached(Tags = …)]</c> templates: literal text with <c>{parameter}</c> placeholders over key parameters.</summary>
internal static class CacheTagRules
{
    /// <summary>One piece of a tag template.</summary>
    internal readonly struct Part
    {
        public Part(string text, bool isParameter)
        {
            Text = text;
            IsParameter = isParameter;
        }

        /// <summary>The literal text, or the parameter name.</summary>
        public string Text { get; }

        public bool IsParameter { get; }
    }

    /// <summary>Splits <paramref name="template"/>; <see langword="null"/> when a brace is unbalanced or a placeholder is empty.</summary>
    public static List<Part>? Split(string template)
    {
        var parts = new List<Part>();
        var start = 0;
        while (start < template.Length)
        {
            var open = template.IndexOf('{', start);
            var close = template.IndexOf('}', start);
            if (open < 0)
            {
                if (close >= 0)
                {
                    return null;
                }

                parts.Add(new Part(template.Substring(start), false));
                break;
            }

            if (close >= 0 && close < open)
            {
                return null;
            }

            if (open > start)
            {
                parts.Add(new Part(template.Substring(start, open - start), false));
            }

            close = template.IndexOf('}', open);
            if (close < 0 || close == open + 1)
            {
                return null;
            }

            parts.Add(new Part(template.Substring(open + 1, close - open - 1).Trim(), true));
            start = close + 1;
        }

        return parts;
    }

    /// <summary>Whether <paramref name="template"/> is non-empty, balanced, and names only parameters in <paramref name="keyParameters"/>.</summary>
    public static bool IsValid(string template, IReadOnlyCollection<string> keyParameters) => FindProblem(template, keyParameters) is null;

    /// <summary>Why <paramref name="template"/> is invalid, or <see langword="null"/>.</summary>
    public static string? FindProblem(string template, IReadOnlyCollection<string> keyParameters)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "a tag is empty";
        }

        var parts = Split(template);
        if (parts is null)
        {
            return $"tag '{template}' has an unbalanced or empty '{{…}}' placeholder";
        }

        foreach (var part in parts)
        {
            if (part.IsParameter && !Contains(keyParameters, part.Text))
            {
                return $"tag '{template}' names '{part.Text}', which is not a key parameter of the method";
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (var each in names)
        {
            if (each == name)
            {
                return true;
            }
        }

        return false;
    }
}
