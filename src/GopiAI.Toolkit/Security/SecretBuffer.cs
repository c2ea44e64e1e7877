using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace GopiAI.Toolkit.Security;

/// <summary>
/// Holds a secret (an encryption key, a token) in native memory that the garbage collector never moves or copies: its own
/// pages, excluded from core dumps (Linux), locked in RAM so they are never swapped where the OS allows (<c>mlock</c> /
/// <c>VirtualLock</c>), wiped in forked children (Linux), and zeroed with <see cref="CryptographicOperations.ZeroMemory"/>
/// before they are freed. The bytes are read under a scope (<see cref="Acquire"/> or <see cref="Use{TState, TResult}"/>).
/// </summary>
/// <remarks>
/// <para>
/// Protections are best effort unless <see cref="SecretBufferOptions.Required"/> names them: <see cref="Protection"/> says what
/// was obtained. Locking is limited by <c>RLIMIT_MEMLOCK</c> on Unix (often 8 MiB, or 64 KiB on older systems; unlimited with
/// <c>CAP_IPC_LOCK</c>) and by the minimum working set on Windows; each buffer locks whole pages.
/// </para>
/// <para>
/// What this cannot do: bytes that passed through managed memory before they got here (a <see cref="string"/> read from the
/// environment, a <see cref="byte"/> array the caller holds) are not erased by it, and libraries that receive the key (for
/// example <see cref="AesGcm"/>, which copies it into its own native context) keep their own copy until they are disposed.
/// See <c>docs/security.md</c> for the limits per operating system.
/// </para>
/// </remarks>
public sealed class SecretBuffer : IDisposable
{
    /// <summary>The largest secret a buffer holds (64 MiB); locked memory is scarce, keys are small.</summary>
    public const int MaxLength = 64 * 1024 * 1024;

    private readonly SecretMemoryHandle _handle;
    private int _length;
    private volatile bool _disposed;

    private SecretBuffer(SecretMemoryHandle handle, int length)
    {
        _handle = handle;
        _length = length;
    }

    /// <summary>Gets the number of secret bytes.</summary>
    public int Length => _length;

    /// <summary>Gets the protections the operating system granted for this buffer.</summary>
    public SecretProtection Protection => _handle.Region.Protection;

    /// <summary>Gets a value indicating whether <see cref="Dispose"/> was called (the memory is zeroed once no scope is open).</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Gets the address of the first byte, for tests that inspect the mapping.</summary>
    internal nint Address => _handle.Region.Address;

    /// <summary>Gets the size of the mapping in bytes (whole pages).</summary>
    internal nuint MappedSize => _handle.Region.Size;

    /// <summary>Copies <paramref name="secret"/> into a new buffer. The caller still owns (and should clear) its source.</summary>
    /// <param name="secret">The secret bytes (1 to <see cref="MaxLength"/>).</param>
    /// <param name="options">The required protections; <see langword="null"/> means <see cref="SecretBufferOptions.Default"/>.</param>
    /// <returns>The buffer; dispose it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="secret"/> is empty or longer than <see cref="MaxLength"/>.</exception>
    /// <exception cref="SecretMemoryException">Memory could not be allocated or a required protection was refused.</exception>
    public static SecretBuffer Create(ReadOnlySpan<byte> secret, SecretBufferOptions? options = null)
    {
        var buffer = Allocate(secret.Length, options, nameof(secret));
        secret.CopyTo(buffer.Writable);
        return buffer;
    }

    /// <summary>
    /// Creates a buffer of <paramref name="length"/> bytes and lets <paramref name="initialize"/> write the secret straight into
    /// the protected memory (for example <c>HKDF.DeriveKey</c> into the span), so it never exists anywhere else.
    /// </summary>
    /// <typeparam name="TState">The state passed to <paramref name="initialize"/>.</typeparam>
    /// <param name="length">The number of bytes (1 to <see cref="MaxLength"/>).</param>
    /// <param name="state">Passed to <paramref name="initialize"/>.</param>
    /// <param name="initialize">Writes the secret into the span it receives.</param>
    /// <param name="options">The required protections; <see langword="null"/> means <see cref="SecretBufferOptions.Default"/>.</param>
    /// <returns>The buffer; dispose it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="initialize"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not in 1..<see cref="MaxLength"/>.</exception>
    /// <exception cref="SecretMemoryException">Memory could not be allocated or a required protection was refused.</exception>
    public static SecretBuffer Create<TState>(int length, TState state, SpanAction<byte, TState> initialize, SecretBufferOptions? options = null)
    {
        Throw.IfNull(initialize);
        var buffer = Allocate(length, options, nameof(length));
        try
        {
            initialize(buffer.Writable, state);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Creates a buffer filled with cryptographically strong random bytes (<see cref="RandomNumberGenerator"/>), e.g. a new key.</summary>
    /// <param name="length">The number of bytes (1 to <see cref="MaxLength"/>); 32 for an AES-256 key.</param>
    /// <param name="options">The required protections; <see langword="null"/> means <see cref="SecretBufferOptions.Default"/>.</param>
    /// <returns>The buffer; dispose it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not in 1..<see cref="MaxLength"/>.</exception>
    /// <exception cref="SecretMemoryException">Memory could not be allocated or a required protection was refused.</exception>
    public static SecretBuffer Generate(int length, SecretBufferOptions? options = null)
    {
        var buffer = Allocate(length, options, nameof(length));
        RandomNumberGenerator.Fill(buffer.Writable);
        return buffer;
    }

    /// <summary>Decodes a secret written as text (Base64 or hex) straight into protected memory.</summary>
    /// <param name="text">The encoded secret; surrounding white space is ignored.</param>
    /// <param name="encoding">How it is encoded.</param>
    /// <param name="options">The required protections; <see langword="null"/> means <see cref="SecretBufferOptions.Default"/>.</param>
    /// <returns>The buffer; dispose it.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is empty or not valid in <paramref name="encoding"/> (the message never quotes it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="encoding"/> is not defined, or the secret is longer than <see cref="MaxLength"/>.</exception>
    /// <exception cref="SecretMemoryException">Memory could not be allocated or a required protection was refused.</exception>
    public static SecretBuffer Decode(ReadOnlySpan<char> text, SecretEncoding encoding, SecretBufferOptions? options = null) =>
        DecodeCore(text, encoding, options, "The secret");

    /// <summary>
    /// Reads a secret from the environment variable <paramref name="name"/> (Base64 by default) and decodes it into protected
    /// memory. The variable's text itself stays in the process environment and in a managed string until collected; keep such
    /// variables for deployment-provided keys and prefer a key vault or Data Protection where one is available.
    /// </summary>
    /// <param name="name">The variable name.</param>
    /// <param name="encoding">How the value is encoded.</param>
    /// <param name="options">The required protections; <see langword="null"/> means <see cref="SecretBufferOptions.Default"/>.</param>
    /// <returns>The buffer; dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    /// <exception cref="FormatException">The value is empty or not valid in <paramref name="encoding"/> (the message names the variable, never the value).</exception>
    /// <exception cref="SecretMemoryException">Memory could not be allocated or a required protection was refused.</exception>
    public static SecretBuffer FromEnvironmentVariable(string name, SecretEncoding encoding = SecretEncoding.Base64, SecretBufferOptions? options = null)
    {
        Throw.IfNullOrWhiteSpace(name);
        var value = Environment.GetEnvironmentVariable(name)
            ?? throw new InvalidOperationException($"The environment variable '{name}' is not set; it should hold the secret as {encoding}.");
        return DecodeCore(value, encoding, options, $"The environment variable '{name}'");
    }

    /// <summary>Opens read access to the secret; dispose the scope as soon as the bytes have been used.</summary>
    /// <returns>The scope.</returns>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public SecretBufferScope Acquire()
    {
        // The handle only refuses new references once its memory is gone; a disposed buffer refuses them from the start.
        // A dispose racing past this check is harmless: the reference taken below keeps the memory until the scope closes.
        if (_disposed)
        {
            ThrowDisposed();
        }

        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            ThrowDisposed();
        }

        return new SecretBufferScope(new Lease(_handle), Readable);
    }

    /// <summary>Runs <paramref name="use"/> with the secret bytes under a scope and returns its result.</summary>
    /// <typeparam name="TState">The state passed to <paramref name="use"/>.</typeparam>
    /// <typeparam name="TResult">What <paramref name="use"/> returns.</typeparam>
    /// <param name="state">Passed to <paramref name="use"/>.</param>
    /// <param name="use">Reads the secret; it must not keep the span.</param>
    /// <returns>The result of <paramref name="use"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="use"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public TResult Use<TState, TResult>(TState state, Func<ReadOnlySpan<byte>, TState, TResult> use)
    {
        Throw.IfNull(use);
        using var scope = Acquire();
        return use(scope.Span, state);
    }

    /// <summary>Compares the secret with <paramref name="other"/> in time that does not depend on the contents (<see cref="CryptographicOperations.FixedTimeEquals"/>).</summary>
    /// <param name="other">The bytes to compare with.</param>
    /// <returns><see langword="true"/> when lengths and bytes are equal.</returns>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public bool ContentEquals(ReadOnlySpan<byte> other)
    {
        using var scope = Acquire();
        return CryptographicOperations.FixedTimeEquals(scope.Span, other);
    }

    /// <summary>
    /// Zeroes and frees the memory; when a <see cref="SecretBufferScope"/> is still open, that happens as soon as the last one
    /// closes. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <summary>Describes the buffer (length and protections), never its contents.</summary>
    /// <returns>For example <c>SecretBuffer(32 bytes; Locked, ExcludedFromCoreDumps, WipedOnFork)</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SecretBuffer({_length} bytes; {Protection}{(IsDisposed ? "; disposed" : string.Empty)})");

    private unsafe Span<byte> Writable => new((void*)_handle.Region.Address, _length);

    private unsafe ReadOnlySpan<byte> Readable => new((void*)_handle.Region.Address, _length);

    [DoesNotReturn]
    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(SecretBuffer), "The secret buffer was disposed; its memory is zeroed once the open scopes close.");

    private static SecretBuffer Allocate(int length, SecretBufferOptions? options, string paramName)
    {
        if (length is <= 0 or > MaxLength)
        {
            throw new ArgumentOutOfRangeException(paramName, length, string.Create(CultureInfo.InvariantCulture, $"A secret must be 1 to {MaxLength} bytes long."));
        }

        var region = SecureMemory.Allocate(length, (options ?? SecretBufferOptions.Default).Required);
        return new SecretBuffer(new SecretMemoryHandle(region), length);
    }

    private static SecretBuffer DecodeCore(ReadOnlySpan<char> text, SecretEncoding encoding, SecretBufferOptions? options, string what)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            throw new FormatException($"{what} is empty.");
        }

        var capacity = encoding switch
        {
            SecretEncoding.Base64 => (int)Math.Min(int.MaxValue, ((long)text.Length * 3 / 4) + 3),
            SecretEncoding.Hex => (text.Length + 1) / 2,
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown secret encoding."),
        };

        var buffer = Allocate(Math.Min(capacity, MaxLength), options, nameof(text));
        bool valid;
        var written = 0;
        if (encoding == SecretEncoding.Base64)
        {
            valid = Convert.TryFromBase64Chars(text, buffer.Writable, out written);
        }
        else
        {
            valid = text.Length % 2 == 0
                && Convert.FromHexString(text, buffer.Writable, out var consumed, out written) == OperationStatus.Done
                && consumed == text.Length;
        }

        if (!valid || written == 0)
        {
            buffer.Dispose();
            throw new FormatException($"{what} is not a valid {encoding} secret.");
        }

        buffer._length = written;
        return buffer;
    }

    /// <summary>One open scope: releases its reference on the handle exactly once, however many copies of the scope are disposed.</summary>
    internal sealed class Lease(SecretMemoryHandle handle)
    {
        private int _released;

        public bool IsReleased => Volatile.Read(ref _released) != 0;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                handle.DangerousRelease();
            }
        }
    }
}
