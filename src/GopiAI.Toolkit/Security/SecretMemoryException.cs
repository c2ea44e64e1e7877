namespace GopiAI.Toolkit.Security;

/// <summary>
/// Thrown when secure memory for a <see cref="SecretBuffer"/> cannot be allocated, or when a protection listed in
/// <see cref="SecretBufferOptions.Required"/> is refused by the operating system. The message names the call that failed,
/// the error and, for locking, the <c>RLIMIT_MEMLOCK</c> limit and how to raise it. It never contains secret bytes.
/// </summary>
public sealed class SecretMemoryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SecretMemoryException"/> class.</summary>
    public SecretMemoryException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SecretMemoryException"/> class with a message.</summary>
    /// <param name="message">What failed and why.</param>
    public SecretMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SecretMemoryException"/> class with a message and a cause.</summary>
    /// <param name="message">What failed and why.</param>
    /// <param name="innerException">The cause.</param>
    public SecretMemoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SecretMemoryException"/> class.</summary>
    /// <param name="message">What failed and why.</param>
    /// <param name="missing">The required protections that were refused.</param>
    /// <param name="errorCode">The operating-system error code (<c>errno</c> or Win32 error), or 0.</param>
    public SecretMemoryException(string message, SecretProtection missing, int errorCode)
        : base(message)
    {
        Missing = missing;
        ErrorCode = errorCode;
    }

    /// <summary>Gets the required protections that were refused (<see cref="SecretProtection.None"/> when allocation itself failed).</summary>
    public SecretProtection Missing { get; }

    /// <summary>Gets the operating-system error code (<c>errno</c> on Unix, the Win32 error on Windows), or 0 when unknown.</summary>
    public int ErrorCode { get; }
}
