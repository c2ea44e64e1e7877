namespace GopiAI.Toolkit.Security;

/// <summary>Settings of a <see cref="SecretBuffer"/>.</summary>
public sealed record SecretBufferOptions
{
    /// <summary>Gets the default settings: every protection is attempted, none is required.</summary>
    public static SecretBufferOptions Default { get; } = new();

    /// <summary>
    /// Gets the protections that must be obtained; when the operating system refuses one of them (for example <c>mlock</c>
    /// beyond <c>RLIMIT_MEMLOCK</c>, or dump exclusion on a platform without it), creation throws
    /// <see cref="SecretMemoryException"/> instead of returning a buffer without it. Default <see cref="SecretProtection.None"/>:
    /// best effort, and <see cref="SecretBuffer.Protection"/> says what was obtained.
    /// </summary>
    public SecretProtection Required { get; init; }
}
