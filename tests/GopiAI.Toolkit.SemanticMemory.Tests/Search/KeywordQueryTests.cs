using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class KeywordQueryTests
{
    [Theory]
    [InlineData("ERR_CONN_4471", "\"ERR_CONN_4471\"")]
    [InlineData("who is \"Priya\" Raman?", "\"Priya\" OR \"Raman?\"")]
    [InlineData("what is it", "\"what\" OR \"is\" OR \"it\"")]
    [InlineData("Deploy deploy DEPLOY", "\"Deploy\"")]
    [InlineData("NEAR( a* OR -b", "\"NEAR(\" OR \"a*\" OR \"-b\"")]
    public void ToMatchExpression_FreeText_QuotesEveryWord(string text, string expected)
    {
        Assert.Equal(expected, KeywordQuery.ToMatchExpression(text));
    }

    [Theory]
    [InlineData("?? !! --")]
    [InlineData("\"\"")]
    public void ToMatchExpression_NoLettersOrDigits_ReturnsNull(string text)
    {
        Assert.Null(KeywordQuery.ToMatchExpression(text));
    }

    [Theory]
    [InlineData("Café,", "cafe")]
    [InlineData("Naïve", "naive")]
    [InlineData("4471", "4471")]
    [InlineData("ERR_CONN_4471", null)]
    [InlineData("user.id", null)]
    public void SingleTerm_Word_MatchesTheUnicode61Token(string word, string? expected)
    {
        Assert.Equal(expected, KeywordQuery.SingleTerm(word));
    }
}
