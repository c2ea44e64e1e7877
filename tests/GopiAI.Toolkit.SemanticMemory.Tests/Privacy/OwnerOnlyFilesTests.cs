using GopiAI.Toolkit.SemanticMemory.Privacy;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Privacy;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void Create_PermissiveUmask_CreatesTheFileOwnerOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.File("memory.db");
        var control = _temp.File("control");
        using (new PermissiveUmask())
        {
            File.WriteAllText(control, "x");
            Assert.True(OwnerOnlyFiles.Create(path));
        }

        // Proves the umask really was permissive: an ordinary file came out world-readable.
        Assert.True((File.GetUnixFileMode(control) & UnixFileMode.OtherRead) != 0);
        Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [SkippableFact]
    public void Create_FileExists_KeepsItsContentAndMode()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.File("existing.db");
        File.WriteAllText(path, "keep me");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.False(OwnerOnlyFiles.Create(path));

        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public void PrepareDatabase_ThenSqliteOpensInWalMode_SideFilesAreOwnerOnlyToo()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.File("wal.db");
        using (new PermissiveUmask())
        {
            OwnerOnlyFiles.PrepareDatabase(path);
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);";
            command.ExecuteNonQuery();

            Assert.True(File.Exists(path + "-wal"));
            Assert.True(File.Exists(path + "-shm"));
            Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(path + "-wal"));
            Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(path + "-shm"));
        }

        Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public void PrepareDatabase_SideFileLeftWider_IsNarrowedToTheDatabaseMode()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.File("crashed.db");
        OwnerOnlyFiles.Create(path);
        File.WriteAllText(path + "-wal", string.Empty);
        File.SetUnixFileMode(path + "-wal", (UnixFileMode)0b110_110_110);

        OwnerOnlyFiles.PrepareDatabase(path);

        Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(path + "-wal"));
    }
}
