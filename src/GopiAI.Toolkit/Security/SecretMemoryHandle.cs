using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.Security;

/// <summary>
/// Owns the pages of one <see cref="SecretBuffer"/>. Being a <see cref="SafeHandle"/> gives two guarantees for free: the pages
/// are zeroed and freed by a critical finalizer if the buffer is never disposed, and a dispose while a
/// <see cref="SecretBufferScope"/> is open is deferred until the last scope closes (reference counting), so no reader ever
/// sees the memory vanish under it.
/// </summary>
internal sealed class SecretMemoryHandle : SafeHandle
{
    private readonly SecureRegion _region;

    public SecretMemoryHandle(SecureRegion region)
        : base(0, ownsHandle: true)
    {
        _region = region;
        SetHandle(region.Address);
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Gets the pages.</summary>
    public SecureRegion Region => _region;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        SecureMemory.Release(_region);
        return true;
    }
}
