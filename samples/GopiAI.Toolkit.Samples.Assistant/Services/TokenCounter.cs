using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>
/// Counts prompt tokens with the o200k_base encoding (the one the memory's context budget uses). Loading the encoding's
/// vocabulary takes a moment, so the counter is a <c>[LazyStartup]</c> component warmed during startup.
/// </summary>
[LazyStartup(Priority = 90, Eager = true)]
public sealed partial class TokenCounter
{
    private readonly Tokenizer _tokenizer;

    /// <summary>Initializes a new instance of the <see cref="TokenCounter"/> class.</summary>
    public TokenCounter() => _tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    /// <summary>Counts the tokens of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int Count(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);
}
