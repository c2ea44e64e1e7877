using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Privacy;

public sealed class BlindIndexTests : IDisposable
{
    private readonly SecretBuffer _key = SecretBuffer.Generate(RowCipher.KeyLength);
    private readonly RowCipher _cipher;

    public BlindIndexTests() => _cipher = RowCipher.Create(_key, new byte[RowCipher.SaltLength]);

    public void Dispose()
    {
        _cipher.Dispose();
        _key.Dispose();
    }

    public static TheoryData<string> Texts => new()
    {
        "The harbour crane lifts container 42 onto ship 7.",
        "ERR_CONN_4471: user.id=alice@example.com failed (retry #3)",
        "Café déjà vu — naïve Ångström façade, Straße, ÉCOLE",
        "tabs\tand\nnew lines,semicolons;and--dashes",
        // Outside these scripts unicode61's tables differ from .NET's categories (it splits at "½" and keeps emoji as
        // terms); the blind index is consistent with itself there, but not identical to a plain index.
        "数字 ३४ Ⅻ x² stays",
        "",
        "  ...  ",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Terms_AnyText_MatchesTheTermsOfSqliteUnicode61RemoveDiacritics2(string text)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE VIRTUAL TABLE t USING fts5(c, tokenize = 'unicode61 remove_diacritics 2');
                CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');
                """;
            create.ExecuteNonQuery();
        }

        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO t(rowid, c) VALUES (1, $c);";
            insert.Parameters.AddWithValue("$c", text);
            insert.ExecuteNonQuery();
        }

        var expected = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT term FROM v ORDER BY offset;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                expected.Add(reader.GetString(0));
            }
        }

        Assert.Equal(expected, BlindIndex.Terms(text));
    }

    [Fact]
    public void IndexText_RepeatedWords_KeepsOrderAndMultiplicity()
    {
        var blinded = _cipher.Index.IndexText("Crane, crane! CRANE lifts the crane");

        var tokens = blinded.Split(' ');
        Assert.Equal(6, tokens.Length);
        Assert.Equal(tokens[0], tokens[1]);
        Assert.Equal(tokens[0], tokens[2]);
        Assert.Equal(tokens[0], tokens[5]);
        Assert.NotEqual(tokens[0], tokens[3]);
        Assert.NotEqual(tokens[3], tokens[4]);
        Assert.All(tokens, t => Assert.Matches("^[a-z2-7]{16}$", t));
        Assert.DoesNotContain("crane", blinded, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Token_DifferentKeys_GiveUnrelatedTokens()
    {
        using var otherKey = SecretBuffer.Generate(RowCipher.KeyLength);
        using var other = RowCipher.Create(otherKey, new byte[RowCipher.SaltLength]);

        Assert.NotEqual(_cipher.Index.Token("harbour"), other.Index.Token("harbour"));
        Assert.Equal(_cipher.Index.Token("harbour"), _cipher.Index.Token("harbour"));
    }

    [Fact]
    public void QueryWord_Identifier_BecomesAPhraseOfTheSameTokensAsTheIndexedText()
    {
        var indexed = _cipher.Index.IndexText("see ERR_CONN_4471 in the log");

        var phrase = _cipher.Index.QueryWord("ERR_CONN_4471");

        Assert.NotNull(phrase);
        Assert.Equal(3, phrase.Split(' ').Length);
        Assert.Contains(phrase, indexed, StringComparison.Ordinal);
        Assert.Null(_cipher.Index.QueryWord("?!"));
    }

    [Fact]
    public void MetadataTag_KeyValueBoundaryMoved_GivesADifferentTag()
    {
        Assert.NotEqual(_cipher.Index.MetadataTag("ab", "c"), _cipher.Index.MetadataTag("a", "bc"));
        Assert.Equal(_cipher.Index.MetadataTag("user", "alice"), _cipher.Index.MetadataTag("user", "alice"));
        Assert.NotEqual(_cipher.Index.MetadataTag("user", "alice"), _cipher.Index.MetadataTag("user", "Alice"));
    }
}
