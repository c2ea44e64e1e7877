using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// What a cache does with a sensitive value that leaves it: buffers are zeroed, disposables disposed, so that the secret does
/// not linger in the managed heap (and in a later memory dump) after the cache let go of it.
/// </summary>
internal static class SensitiveValues
{
    /// <summary>Zeroes <c>byte[]</c>, <c>char[]</c>, <c>Memory&lt;byte&gt;</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> values, disposes <see cref="IDisposable"/> ones.</summary>
    public static void Scrub(object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                CryptographicOperations.ZeroMemory(bytes);
                break;
            case char[] chars:
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
                break;
            case Memory<byte> memory:
                CryptographicOperations.ZeroMemory(memory.Span);
                break;
            case ReadOnlyMemory<byte> memory:
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(memory).Span);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
