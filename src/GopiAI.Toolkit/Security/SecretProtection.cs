namespace GopiAI.Toolkit.Security;

/// <summary>The operating-system protections a <see cref="SecretBuffer"/> asks for, and the ones it obtained.</summary>
/// <remarks>
/// Every protection the platform offers is attempted for every buffer; <see cref="SecretBufferOptions.Required"/> names the
/// ones whose refusal makes creation fail instead of continuing without them. See <c>docs/security.md</c> for what each
/// operating system provides.
/// </remarks>
[Flags]
public enum SecretProtection
{
    /// <summary>No protection beyond zeroing on dispose (which always happens).</summary>
    None = 0,

    /// <summary>The pages are locked in RAM (<c>mlock</c> on Unix, <c>VirtualLock</c> on Windows), so they are never written to swap.</summary>
    Locked = 1,

    /// <summary>The pages are left out of core dumps (<c>madvise(MADV_DONTDUMP)</c>; Linux only).</summary>
    ExcludedFromCoreDumps = 2,

    /// <summary>A child created by <c>fork</c> sees the pages zeroed (<c>madvise(MADV_WIPEONFORK)</c>; Linux 4.14 and later).</summary>
    WipedOnFork = 4,
}
