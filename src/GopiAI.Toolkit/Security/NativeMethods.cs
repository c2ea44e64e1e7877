using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.Security;

/// <summary>The few operating-system calls secure memory needs: page mapping, locking and dump exclusion.</summary>
/// <remarks>
/// Every signature is blittable (integers, pointers, a plain struct; Win32 BOOL as <see cref="int"/>), so classic
/// <see cref="DllImportAttribute"/> needs no marshalling stub and no source generator.
/// </remarks>
internal static class NativeMethods
{
    /// <summary>C library calls (Linux and the other Unix systems .NET runs on).</summary>
    internal static class Libc
    {
        internal const int ProtRead = 0x1;
        internal const int ProtWrite = 0x2;

        // Linux values; mmap is only called on Linux (other Unix systems use aligned native memory).
        internal const int MapPrivate = 0x02;
        internal const int MapAnonymous = 0x20;
        internal const int MadvDontDump = 16;
        internal const int MadvWipeOnFork = 18;
        internal const int RlimitMemlock = 8;

        internal const int EPERM = 1;
        internal const int ENOMEM = 12;
        internal const int EAGAIN = 11;
        internal const int EINVAL = 22;

        internal static readonly nint MapFailed = -1;

        private const string Name = "libc";

        [DllImport(Name, EntryPoint = "mmap", SetLastError = true)]
        internal static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [DllImport(Name, EntryPoint = "munmap", SetLastError = true)]
        internal static extern int Munmap(nint address, nuint length);

        [DllImport(Name, EntryPoint = "mlock", SetLastError = true)]
        internal static extern int Mlock(nint address, nuint length);

        [DllImport(Name, EntryPoint = "munlock", SetLastError = true)]
        internal static extern int Munlock(nint address, nuint length);

        [DllImport(Name, EntryPoint = "madvise", SetLastError = true)]
        internal static extern int Madvise(nint address, nuint length, int advice);

        [DllImport(Name, EntryPoint = "getrlimit", SetLastError = true)]
        internal static extern int Getrlimit(int resource, out RLimit limit);

        /// <summary><c>struct rlimit</c> on 64-bit Linux: two <c>rlim_t</c> (unsigned long).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct RLimit
        {
            public ulong Current;
            public ulong Maximum;
        }
    }

    /// <summary>Win32 virtual-memory calls.</summary>
    internal static class Kernel32
    {
        internal const uint MemCommit = 0x1000;
        internal const uint MemReserve = 0x2000;
        internal const uint MemRelease = 0x8000;
        internal const uint PageReadWrite = 0x04;

        private const string Name = "kernel32.dll";

        [DllImport(Name, SetLastError = true)]
        internal static extern nint VirtualAlloc(nint address, nuint size, uint allocationType, uint protect);

        [DllImport(Name, SetLastError = true)]
        internal static extern int VirtualFree(nint address, nuint size, uint freeType);

        [DllImport(Name, SetLastError = true)]
        internal static extern int VirtualLock(nint address, nuint size);

        [DllImport(Name, SetLastError = true)]
        internal static extern int VirtualUnlock(nint address, nuint size);
    }
}
