using System.Globalization;
using System.Runtime.InteropServices;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.Tests.Security;

/// <summary>The tests that install <see cref="SecureMemory.BeforeFree"/> or change the process memlock limit run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SecureMemoryCollection
{
    public const string Name = "SecureMemory";
}

/// <summary>Records the released regions of chosen buffers through the test hook, copying what the memory held after zeroing.</summary>
internal sealed class ReleaseRecorder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<nint> _watched = [];
    private readonly List<byte[]> _released = [];
    private int _thread = -1;

    public ReleaseRecorder() => SecureMemory.BeforeFree = OnRelease;

    public IReadOnlyList<byte[]> Released
    {
        get
        {
            lock (_gate)
            {
                return [.. _released];
            }
        }
    }

    public void Watch(SecretBuffer buffer)
    {
        lock (_gate)
        {
            _watched.Add(buffer.Address);
        }
    }

    /// <summary>Also records every region released on the calling thread (for buffers the test never gets to see).</summary>
    public void WatchThisThread() => _thread = Environment.CurrentManagedThreadId;

    public void Dispose() => SecureMemory.BeforeFree = null;

    private void OnRelease(nint address, ReadOnlySpan<byte> region)
    {
        lock (_gate)
        {
            if (_watched.Remove(address) || _thread == Environment.CurrentManagedThreadId)
            {
                _released.Add(region.ToArray());
            }
        }
    }
}

/// <summary>Reads what the kernel says about a mapping in /proc/self/smaps.</summary>
internal sealed record SmapsEntry(long LockedKiB, long SizeKiB, IReadOnlySet<string> VmFlags)
{
    public static SmapsEntry? Find(nint address)
    {
        var prefix = ((ulong)address).ToString("x", CultureInfo.InvariantCulture) + "-";
        var lines = File.ReadAllLines("/proc/self/smaps");
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            long locked = -1, size = -1;
            IReadOnlySet<string> flags = new HashSet<string>();
            // Field lines ("Locked:   4 kB") follow the mapping's header line; VmFlags is the last of them.
            for (var j = i + 1; j < lines.Length && lines[j].Split(' ', 2)[0].EndsWith(':'); j++)
            {
                var line = lines[j];
                if (line.StartsWith("Locked:", StringComparison.Ordinal))
                {
                    locked = KiB(line);
                }
                else if (line.StartsWith("Size:", StringComparison.Ordinal))
                {
                    size = KiB(line);
                }
                else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
                {
                    flags = line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                    break;
                }
            }

            return new SmapsEntry(locked, size, flags);
        }

        return null;
    }

    private static long KiB(string line) =>
        long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}

/// <summary>
/// Makes the kernel refuse <c>mlock</c> for real: lowers the process's RLIMIT_MEMLOCK soft limit and, on a dedicated thread,
/// drops CAP_IPC_LOCK from that thread's effective capabilities (capabilities are per thread on Linux; root would otherwise
/// bypass the limit). Only SecretBuffer locks memory in this test process, and its tests run one at a time.
/// </summary>
internal static class MemlockRefusal
{
    private const int RlimitMemlock = 8;
    private const int CapIpcLock = 14;
    private const uint CapabilityVersion3 = 0x20080522;

    public static T Run<T>(ulong softLimitBytes, Func<T> action)
    {
        if (getrlimit(RlimitMemlock, out var original) != 0)
        {
            throw new InvalidOperationException("getrlimit failed: " + Marshal.GetLastPInvokeError());
        }

        var lowered = new RLimit { Current = Math.Min(softLimitBytes, original.Maximum), Maximum = original.Maximum };
        if (setrlimit(RlimitMemlock, in lowered) != 0)
        {
            throw new InvalidOperationException("setrlimit failed: " + Marshal.GetLastPInvokeError());
        }

        try
        {
            T result = default!;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    DropIpcLockOnThisThread();
                    result = action();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            });
            thread.Start();
            thread.Join();
            if (failure is not null)
            {
                throw new AggregateException(failure);
            }

            return result;
        }
        finally
        {
            _ = setrlimit(RlimitMemlock, in original);
        }
    }

    private static void DropIpcLockOnThisThread()
    {
        var header = new CapHeader { Version = CapabilityVersion3, Pid = 0 };
        var data = new CapData[2];
        if (capget(ref header, data) != 0)
        {
            throw new InvalidOperationException("capget failed: " + Marshal.GetLastPInvokeError());
        }

        data[0].Effective &= ~(1u << CapIpcLock);
        header = new CapHeader { Version = CapabilityVersion3, Pid = 0 };
        if (capset(ref header, data) != 0)
        {
            throw new InvalidOperationException("capset failed: " + Marshal.GetLastPInvokeError());
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, in RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int capget(ref CapHeader header, [Out] CapData[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref CapHeader header, CapData[] data);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
