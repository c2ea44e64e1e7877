namespace GopiAI.Toolkit.Security;

/// <summary>
/// Read access to the bytes of a <see cref="SecretBuffer"/> while the scope is open (from <see cref="SecretBuffer.Acquire"/>
/// to <see cref="Dispose"/>). While any scope is open, disposing the buffer is deferred: the memory stays valid, and it is
/// zeroed and freed when the last scope closes. Use it with <see langword="using"/>; do not keep the span beyond the scope.
/// </summary>
/// <example>
/// <code>
/// using (var key = secret.Acquire())
/// using (var aes = new AesGcm(key.Span, tagSizeInBytes: 16))
/// {
///     aes.Encrypt(nonce, plaintext, ciphertext, tag);
/// }
/// </code>
/// </example>
public ref struct SecretBufferScope
{
    private readonly SecretBuffer.Lease? _lease;
    private readonly ReadOnlySpan<byte> _span;

    internal SecretBufferScope(SecretBuffer.Lease lease, ReadOnlySpan<byte> span)
    {
        _lease = lease;
        _span = span;
    }

    /// <summary>Gets the secret bytes.</summary>
    /// <exception cref="ObjectDisposedException">The scope was closed, or it is a <see langword="default"/> scope.</exception>
    public readonly ReadOnlySpan<byte> Span
    {
        get
        {
            if (_lease is null || _lease.IsReleased)
            {
                throw new ObjectDisposedException(nameof(SecretBufferScope), "The secret buffer scope is closed; acquire a new one.");
            }

            return _span;
        }
    }

    /// <summary>Gets the number of secret bytes.</summary>
    public readonly int Length => _span.Length;

    /// <summary>Closes the scope. Closing it again (also through a copy) does nothing.</summary>
    public readonly void Dispose() => _lease?.Release();
}
