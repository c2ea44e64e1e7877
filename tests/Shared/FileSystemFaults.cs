using System.Diagnostics;

// The Unix-only calls below sit behind OperatingSystem.IsWindows() checks, which the analyzer cannot see into lambdas.
#pragma warning disable CA1416

namespace GopiAI.Toolkit.Tests.Shared;

/// <summary>
/// Real file-system faults for tests (never a test double of the file layer): read-only files and folders, and a
/// small disk that fills up. A normal user gets them from permissions; root, whom permissions do not stop, gets the
/// immutable attribute (<c>chattr +i</c>), a read-only bind mount and a size-limited tmpfs. Each factory returns null,
/// with the reason, where the machine allows none of these (the caller skips the test with that reason).
/// </summary>
public static class FileSystemFaults
{
    /// <summary>Makes a file read-only until the returned handle is disposed.</summary>
    public static IDisposable? ReadOnlyFile(string path, out string? reason)
    {
        reason = null;
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
            return new Undo(() => File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly));
        }

        if (!Environment.IsPrivilegedProcess)
        {
            var mode = File.GetUnixFileMode(path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return new Undo(() => File.SetUnixFileMode(path, mode));
        }

        if (Run("chattr", ["+i", path], out reason))
        {
            return new Undo(() => Run("chattr", ["-i", path], out _));
        }

        return null;
    }

    /// <summary>A read-only view of <paramref name="folder"/> (its files included) until the returned handle is disposed.</summary>
    public static MountedFolder? ReadOnlyFolder(string folder, out string? reason)
    {
        reason = null;
        if (OperatingSystem.IsWindows())
        {
            reason = "read-only folders are not enforced on Windows";
            return null;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            var mode = File.GetUnixFileMode(folder);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            return new MountedFolder(folder, () => File.SetUnixFileMode(folder, mode));
        }

        var view = folder.TrimEnd('/') + "-readonly-view";
        Directory.CreateDirectory(view);
        if (Run("mount", ["--bind", folder, view], out reason))
        {
            if (Run("mount", ["-o", "remount,ro,bind", view], out reason))
            {
                return new MountedFolder(view, () => Unmount(view));
            }

            Unmount(view);
        }

        TryDeleteFolder(view);
        return null;
    }

    /// <summary>A fresh folder on a file system of <paramref name="bytes"/> bytes (tmpfs) until the returned handle is disposed.</summary>
    public static MountedFolder? SmallDisk(string parent, long bytes, out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            reason = "mounting a small tmpfs needs root on Linux";
            return null;
        }

        var mountPoint = Path.Combine(parent, "small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mountPoint);
        if (Run("mount", ["-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", mountPoint], out reason))
        {
            return new MountedFolder(mountPoint, () => Unmount(mountPoint));
        }

        TryDeleteFolder(mountPoint);
        return null;
    }

    private static void Unmount(string path)
    {
        // Lazy: a file the code under test still holds open must not keep the mount (or the test) alive.
        Run("umount", ["-l", path], out _);
        TryDeleteFolder(path);
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: false);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool Run(string program, string[] args, out string? reason)
    {
        reason = null;
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                reason = $"{program} did not finish";
                return false;
            }

            if (process.ExitCode != 0)
            {
                reason = $"{program} {string.Join(' ', args)} failed: {error.Trim()}";
                return false;
            }

            return true;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            reason = $"{program} is not available: {ex.Message}";
            return false;
        }
    }

    /// <summary>A folder prepared by <see cref="FileSystemFaults"/>; disposing it undoes the preparation.</summary>
    public sealed class MountedFolder(string path, Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public string Path { get; } = path;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
