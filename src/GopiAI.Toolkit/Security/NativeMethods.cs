using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.Security;

/// <summary>The few operating-system calls secure memory needs: page mapping, locking and dump exclusion.</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>C library calls (Linux and the other Unix systems .NET runs on).</summary>
    internal static partial class Libc
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

        [LibraryImport(Name, EntryPoint = "mmap", SetLastError = true)]
        internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [LibraryImport(Name, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int Munmap(nint address, nuint length);

        [LibraryImport(Name, EntryPoint = "mlock", SetLastError = true)]
        internal static partial int Mlock(nint address, nuint length);

        [LibraryImport(Name, EntryPoint = "munlock", SetLastError = true)]
        internal static partial int Munlock(nint address, nuint length);

        [LibraryImport(Name, EntryPoint = "madvise", SetLastError = true)]
        internal static partial int Madvise(nint address, nuint length, int advice);

        [LibraryImport(Name, EntryPoint = "getrlimit", SetLastError = true)]
        internal static partial int Getrlimit(int resource, out RLimit limit);

        /// <summary><c>struct rlimit</c> on 64-bit Linux: two <c>rlim_t</c> (unsigned long).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct RLimit
        {
            public ulong Current;
            public ulong Maximum;
        }
    }

    /// <summary>Win32 virtual-memory calls.</summary>
    internal static partial class Kernel32
    {
        internal const uint MemCommit = 0x1000;
        internal const uint MemReserve = 0x2000;
        internal const uint MemRelease = 0x8000;
        internal const uint PageReadWrite = 0x04;

        private const string Name = "kernel32.dll";

        [LibraryImport(Name, SetLastError = true)]
        internal static partial nint VirtualAlloc(nint address, nuint size, uint allocationType, uint protect);

        [LibraryImport(Name, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool VirtualFree(nint address, nuint size, uint freeType);

        [LibraryImport(Name, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool VirtualLock(nint address, nuint size);

        [LibraryImport(Name, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool VirtualUnlock(nint address, nuint size);
    }
}
