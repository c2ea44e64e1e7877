using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace GopiAI.Toolkit.Security;

/// <summary>How the pages of a <see cref="SecureRegion"/> were obtained (and so how they are given back).</summary>
internal enum SecureRegionKind
{
    /// <summary>An anonymous private <c>mmap</c> (Linux): its own mapping, so <c>madvise</c> touches nothing else.</summary>
    Mapped,

    /// <summary><c>VirtualAlloc</c> (Windows).</summary>
    VirtualAlloc,

    /// <summary>Page-aligned native memory (other Unix systems).</summary>
    Aligned,
}

/// <summary>Whole pages of native memory holding one secret.</summary>
/// <param name="Address">The first byte (page-aligned).</param>
/// <param name="Size">The size in bytes, a multiple of the page size.</param>
/// <param name="Kind">How the pages were obtained.</param>
/// <param name="Protection">The protections obtained.</param>
internal readonly record struct SecureRegion(nint Address, nuint Size, SecureRegionKind Kind, SecretProtection Protection);

/// <summary>
/// Allocates, protects, zeroes and frees the pages behind a <see cref="SecretBuffer"/>, on the operating system's own calls.
/// Whole pages are used so that locking and dump exclusion never reach another object's memory.
/// </summary>
internal static unsafe class SecureMemory
{
    /// <summary>
    /// Test hook: called when a region is released, after it was zeroed and before it is unlocked and freed, with a view of
    /// the whole region. Tests read it to prove that nothing of the secret is left.
    /// </summary>
    internal static ReleaseObserver? BeforeFree;

    internal delegate void ReleaseObserver(nint address, ReadOnlySpan<byte> region);

    /// <summary>Allocates zeroed pages for <paramref name="length"/> bytes and applies every protection the platform offers.</summary>
    /// <param name="length">The bytes needed (1 or more).</param>
    /// <param name="required">The protections whose refusal is an error.</param>
    /// <returns>The region.</returns>
    /// <exception cref="SecretMemoryException">The pages could not be allocated, or a required protection was refused.</exception>
    public static SecureRegion Allocate(int length, SecretProtection required)
    {
        var page = (nuint)Environment.SystemPageSize;
        var size = ((nuint)length + page - 1) / page * page;
        if (OperatingSystem.IsLinux())
        {
            return AllocateLinux(size, required);
        }

        return OperatingSystem.IsWindows() ? AllocateWindows(size, required) : AllocateOtherUnix(size, required);
    }

    /// <summary>Zeroes the whole region, then unlocks and frees it.</summary>
    /// <param name="region">The region to release.</param>
    public static void Release(SecureRegion region)
    {
        var span = new Span<byte>((void*)region.Address, checked((int)region.Size));
        CryptographicOperations.ZeroMemory(span);
        BeforeFree?.Invoke(region.Address, span);
        switch (region.Kind)
        {
            case SecureRegionKind.Mapped:
                if ((region.Protection & SecretProtection.Locked) != 0)
                {
                    _ = NativeMethods.Libc.Munlock(region.Address, region.Size);
                }

                _ = NativeMethods.Libc.Munmap(region.Address, region.Size);
                break;
            case SecureRegionKind.VirtualAlloc:
                if ((region.Protection & SecretProtection.Locked) != 0)
                {
                    _ = NativeMethods.Kernel32.VirtualUnlock(region.Address, region.Size);
                }

                _ = NativeMethods.Kernel32.VirtualFree(region.Address, 0, NativeMethods.Kernel32.MemRelease);
                break;
            default:
                if ((region.Protection & SecretProtection.Locked) != 0)
                {
                    _ = NativeMethods.Libc.Munlock(region.Address, region.Size);
                }

                NativeMemory.AlignedFree((void*)region.Address);
                break;
        }
    }

    /// <summary>Reads the <c>RLIMIT_MEMLOCK</c> soft limit in bytes (Unix); <see langword="null"/> when unlimited or unknown.</summary>
    /// <returns>The limit.</returns>
    internal static ulong? MemlockLimit()
    {
        if (!OperatingSystem.IsLinux() || NativeMethods.Libc.Getrlimit(NativeMethods.Libc.RlimitMemlock, out var limit) != 0 || limit.Current == ulong.MaxValue)
        {
            return null;
        }

        return limit.Current;
    }

    private static SecureRegion AllocateLinux(nuint size, SecretProtection required)
    {
        var address = NativeMethods.Libc.Mmap(0, size, NativeMethods.Libc.ProtRead | NativeMethods.Libc.ProtWrite, NativeMethods.Libc.MapPrivate | NativeMethods.Libc.MapAnonymous, -1, 0);
        if (address == NativeMethods.Libc.MapFailed)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new SecretMemoryException(Invariant($"mmap of {size} bytes for a secret failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})."), SecretProtection.None, error);
        }

        var achieved = SecretProtection.None;
        if (NativeMethods.Libc.Madvise(address, size, NativeMethods.Libc.MadvDontDump) == 0)
        {
            achieved |= SecretProtection.ExcludedFromCoreDumps;
        }

        var dumpError = achieved.HasFlag(SecretProtection.ExcludedFromCoreDumps) ? 0 : Marshal.GetLastPInvokeError();

        // Older kernels (before 4.14) answer EINVAL: the child of a fork then keeps a copy, as it would anyway.
        if (NativeMethods.Libc.Madvise(address, size, NativeMethods.Libc.MadvWipeOnFork) == 0)
        {
            achieved |= SecretProtection.WipedOnFork;
        }

        return LockAndCheck(new SecureRegion(address, size, SecureRegionKind.Mapped, achieved), required, dumpError);
    }

    private static SecureRegion AllocateWindows(nuint size, SecretProtection required)
    {
        var address = NativeMethods.Kernel32.VirtualAlloc(0, size, NativeMethods.Kernel32.MemCommit | NativeMethods.Kernel32.MemReserve, NativeMethods.Kernel32.PageReadWrite);
        if (address == 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new SecretMemoryException(Invariant($"VirtualAlloc of {size} bytes for a secret failed: {Marshal.GetPInvokeErrorMessage(error)} (error {error})."), SecretProtection.None, error);
        }

        return LockAndCheck(new SecureRegion(address, size, SecureRegionKind.VirtualAlloc, SecretProtection.None), required, dumpError: 0);
    }

    private static SecureRegion AllocateOtherUnix(nuint size, SecretProtection required)
    {
        var address = (nint)NativeMemory.AlignedAlloc(size, (nuint)Environment.SystemPageSize);
        NativeMemory.Clear((void*)address, size);
        return LockAndCheck(new SecureRegion(address, size, SecureRegionKind.Aligned, SecretProtection.None), required, dumpError: 0);
    }

    /// <summary>Locks the pages where the OS allows, then frees them and throws if a required protection is missing.</summary>
    private static SecureRegion LockAndCheck(SecureRegion region, SecretProtection required, int dumpError)
    {
        var locked = region.Kind == SecureRegionKind.VirtualAlloc
            ? NativeMethods.Kernel32.VirtualLock(region.Address, region.Size) != 0
            : NativeMethods.Libc.Mlock(region.Address, region.Size) == 0;
        var lockError = locked ? 0 : Marshal.GetLastPInvokeError();
        if (locked)
        {
            region = region with { Protection = region.Protection | SecretProtection.Locked };
        }

        ThrowIfMissing(region, required, lockError, dumpError);
        return region;
    }

    private static void ThrowIfMissing(SecureRegion region, SecretProtection required, int lockError, int dumpError)
    {
        var missing = required & ~region.Protection;
        if (missing == SecretProtection.None)
        {
            return;
        }

        Release(region);
        var reasons = new List<string>();
        if (missing.HasFlag(SecretProtection.Locked))
        {
            reasons.Add(DescribeLockFailure(region.Size, lockError));
        }

        if (missing.HasFlag(SecretProtection.ExcludedFromCoreDumps))
        {
            reasons.Add(OperatingSystem.IsLinux()
                ? Invariant($"madvise(MADV_DONTDUMP) failed: {Marshal.GetPInvokeErrorMessage(dumpError)} (errno {dumpError}).")
                : "this operating system has no per-region core-dump exclusion (only Linux has MADV_DONTDUMP).");
        }

        if (missing.HasFlag(SecretProtection.WipedOnFork))
        {
            reasons.Add(OperatingSystem.IsLinux()
                ? "madvise(MADV_WIPEONFORK) is not supported by this kernel (it needs Linux 4.14 or later)."
                : "only Linux can wipe pages in a forked child (MADV_WIPEONFORK).");
        }

        throw new SecretMemoryException(
            Invariant($"A required protection of the secret buffer was refused ({missing}): {string.Join(" ", reasons)}"),
            missing,
            missing.HasFlag(SecretProtection.Locked) ? lockError : dumpError);
    }

    private static string DescribeLockFailure(nuint size, int error)
    {
        if (OperatingSystem.IsWindows())
        {
            return Invariant($"VirtualLock of {size} bytes failed: {Marshal.GetPInvokeErrorMessage(error)} (error {error}); a process may lock only a little less than its minimum working set (raise it with SetProcessWorkingSetSize).");
        }

        var limit = MemlockLimit();
        var locked = LockedBytes();
        var limitText = limit is { } l ? Invariant($"{l / 1024} KiB") : "unlimited or unknown";
        var lockedText = locked is { } k ? Invariant($"{k / 1024} KiB") : "an unknown amount";
        return Invariant($"mlock of {size} bytes was refused: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}). The RLIMIT_MEMLOCK soft limit is {limitText} and this process already has {lockedText} locked. ")
            + "Raise the limit (ulimit -l, systemd LimitMEMLOCK=, docker run --ulimit memlock=...), grant CAP_IPC_LOCK, "
            + "or leave Locked out of SecretBufferOptions.Required to continue without locking.";
    }

    private static ulong? LockedBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmLck:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                    return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
