using System.Text.RegularExpressions;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Where a PostgreSQL memory lives: the server, database and schema, named for messages without the password.</summary>
internal sealed partial record PostgresLocation(string ConnectionString, string Schema, string Display)
{
    /// <summary>The schema name as an SQL identifier (always quoted).</summary>
    public string QuotedSchema => "\"" + Schema + "\"";

    /// <summary>Validates the connection string and the schema name.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed, or the schema name is not a plain identifier.</exception>
    public static PostgresLocation From(MemoryConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.ConnectionString))
        {
            throw new ArgumentException("MemoryConfig.ConnectionString is required when MemoryConfig.Provider is MemoryProvider.Postgres (an Npgsql connection string such as \"Host=db;Database=app;Username=app;Password=…\").", "config.ConnectionString");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(config.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"MemoryConfig.ConnectionString is not a valid Npgsql connection string: {ex.Message}", "config.ConnectionString", ex);
        }

        if (!SchemaName().IsMatch(config.PostgresSchema ?? string.Empty))
        {
            throw new ArgumentException(
                $"MemoryConfig.PostgresSchema '{config.PostgresSchema}' is not a plain schema name: use 1 to 63 lower-case letters, digits and underscores, starting with a letter or underscore.",
                "config.PostgresSchema");
        }

        var display = $"PostgreSQL memory {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"} (schema {config.PostgresSchema})";
        return new PostgresLocation(config.ConnectionString, config.PostgresSchema!, display);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
