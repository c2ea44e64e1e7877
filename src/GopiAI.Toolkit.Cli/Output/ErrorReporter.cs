using System.Text.RegularExpressions;
using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Cli.Output;

/// <summary>Maps exceptions to an exit code and a one-line message; never prints a stack trace for a user error.</summary>
internal static partial class ErrorReporter
{
    public static (ExitCode Code, string Message) Map(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        CliException cli => (cli.Code, cli.Message),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCode.Canceled, "Cancelled."),
        MemoryStoreException store => (store.Error switch
        {
            MemoryStoreError.ReadOnly => ExitCode.ReadOnly,
            MemoryStoreError.Locked => ExitCode.Locked,
            MemoryStoreError.DiskFull => ExitCode.DiskFull,
            MemoryStoreError.EncryptionKey => ExitCode.EncryptionKey,
            MemoryStoreError.Unavailable => ExitCode.Unavailable,
            _ => ExitCode.NotAMemoryFile,
        }, store.Message.Replace("MemoryConfig.IndexPath", "--db", StringComparison.Ordinal).Replace("MemoryConfig.EncryptionKey", "--key-env", StringComparison.Ordinal)),
        InvalidDataException damaged => (ExitCode.BadInput, damaged.Message),
        FileNotFoundException missing when IsModelFile(missing.FileName) => (ExitCode.ModelMissing, missing.Message),
        FileNotFoundException missing => (ExitCode.MissingFile, missing.Message),
        DirectoryNotFoundException missing => (ExitCode.MissingFile, missing.Message),
        ArgumentException argument => (ExitCode.Usage, WithoutParameterName(argument)),
        InvalidOperationException full when full.Message.Contains(nameof(MemoryConfig.MaxDocuments), StringComparison.Ordinal) => (ExitCode.Full,
            full.Message.Replace("MemoryConfig.MaxDocuments", "--max-documents", StringComparison.Ordinal).Replace("MemoryConfig.Retention", "--retention", StringComparison.Ordinal)),
        UnauthorizedAccessException denied => (ExitCode.ReadOnly, denied.Message),
        _ => (ExitCode.Failure, $"Unexpected {exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>Collapses a message to one line with an <c>error:</c> prefix.</summary>
    public static string Format(string message) => "error: " + Whitespace().Replace(message, " ").Trim();

    private static bool IsModelFile(string? fileName) =>
        fileName is not null && (fileName.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith("vocab.txt", StringComparison.OrdinalIgnoreCase)
            || fileName.Contains("all-MiniLM", StringComparison.OrdinalIgnoreCase));

    private static string WithoutParameterName(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
