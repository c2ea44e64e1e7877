using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class KeywordQueryTests
{
    [Theory]
    [InlineData("ERR_CONN_4471", "\"ERR_CONN_4471\"")]
    [InlineData("who is \"Priya\" Raman?", "\"who\" OR \"is\" OR \"Priya\" OR \"Raman?\"")]
    [InlineData("NEAR( a* OR -b", "\"NEAR(\" OR \"a*\" OR \"OR\" OR \"-b\"")]
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
}
