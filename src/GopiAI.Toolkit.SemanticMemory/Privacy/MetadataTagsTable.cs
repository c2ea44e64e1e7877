namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// The table of blind metadata tags that an encrypted memory file filters on (its metadata column is sealed, so
/// <c>json_each</c> cannot read it). Created with the encryption header; a plain file has none.
/// </summary>
internal static class MetadataTagsTable
{
    /// <summary>Creates the table when missing: one row per (tag, document row), looked up by tag and deleted by row.</summary>
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS metadata_tags (tag BLOB NOT NULL, rowid INTEGER NOT NULL, PRIMARY KEY (tag, rowid)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_metadata_tags_row ON metadata_tags(rowid);
        """;

    /// <summary>Inserts one tag of a row.</summary>
    public const string InsertSql = "INSERT OR IGNORE INTO metadata_tags(tag, rowid) VALUES ($tag, $row);";

    /// <summary>Deletes the tags of a row.</summary>
    public const string DeleteRowSql = "DELETE FROM metadata_tags WHERE rowid = $row;";
}
