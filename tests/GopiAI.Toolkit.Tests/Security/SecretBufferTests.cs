using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.Tests.Security;

[Collection(SecureMemoryCollection.Name)]
public sealed class SecretBufferTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void Create_FromBytes_ScopeReadsTheSameBytes()
    {
        using var buffer = SecretBuffer.Create(Key);
        using var scope = buffer.Acquire();

        Assert.Equal(32, buffer.Length);
        Assert.Equal(32, scope.Length);
        Assert.True(scope.Span.SequenceEqual(Key));
    }

    [Fact]
    public void Create_EmptyOrTooLong_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBuffer.Create(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBuffer.Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBuffer.Generate(SecretBuffer.MaxLength + 1));
    }

    [Fact]
    public void Dispose_NoScopeOpen_ZeroesTheWholeMappingBeforeItIsFreed()
    {
        using var recorder = new ReleaseRecorder();
        var buffer = SecretBuffer.Create(Key);
        recorder.Watch(buffer);

        buffer.Dispose();

        var released = Assert.Single(recorder.Released);
        Assert.Equal(Environment.SystemPageSize, released.Length);
        Assert.All(released, b => Assert.Equal(0, b));
        Assert.True(buffer.IsDisposed);
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnceAndDoesNotThrow()
    {
        using var recorder = new ReleaseRecorder();
        var buffer = SecretBuffer.Generate(64);
        recorder.Watch(buffer);

        buffer.Dispose();
        buffer.Dispose();

        Assert.Single(recorder.Released);
    }

    [Fact]
    public void Dispose_WhileAScopeIsOpen_KeepsTheBytesReadableUntilTheScopeCloses()
    {
        using var recorder = new ReleaseRecorder();
        var buffer = SecretBuffer.Create(Key);
        recorder.Watch(buffer);
        var scope = buffer.Acquire();

        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
        Assert.Empty(recorder.Released);
        Assert.True(scope.Span.SequenceEqual(Key));
        Assert.Throws<ObjectDisposedException>(() => buffer.Acquire());

        scope.Dispose();

        var released = Assert.Single(recorder.Released);
        Assert.All(released, b => Assert.Equal(0, b));
    }

    [Fact]
    public void ScopeDispose_CopiedScopeDisposedTwice_ReleasesItsReferenceOnce()
    {
        using var recorder = new ReleaseRecorder();
        var buffer = SecretBuffer.Create(Key);
        recorder.Watch(buffer);
        var first = buffer.Acquire();
        var copy = first;
        var second = buffer.Acquire();

        first.Dispose();
        copy.Dispose();
        buffer.Dispose();

        // The second scope still holds the memory: a double release through the copy would have freed it under it.
        Assert.Empty(recorder.Released);
        Assert.True(second.Span.SequenceEqual(Key));
        second.Dispose();
        Assert.Single(recorder.Released);
    }

    [Fact]
    public void ScopeSpan_AfterTheScopeClosed_ThrowsObjectDisposed()
    {
        using var buffer = SecretBuffer.Create(Key);
        var scope = buffer.Acquire();
        scope.Dispose();

        var thrown = false;
        try
        {
            _ = scope.Span;
        }
        catch (ObjectDisposedException)
        {
            thrown = true;
        }

        Assert.True(thrown);
        Assert.Throws<ObjectDisposedException>(() => default(SecretBufferScope).Span.Length);
    }

    [Fact]
    public void Finalizer_BufferNeverDisposed_ZeroesAndFreesTheMemory()
    {
        using var recorder = new ReleaseRecorder();
        CreateAndForget(recorder);

        for (var i = 0; i < 10 && recorder.Released.Count == 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var released = Assert.Single(recorder.Released);
        Assert.All(released, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Create_InitializerThrows_ZeroesThePartlyWrittenMemory()
    {
        using var recorder = new ReleaseRecorder();
        recorder.WatchThisThread();
        var written = false;

        Assert.Throws<CryptographicException>(() => SecretBuffer.Create(32, Key, (span, key) =>
        {
            key.CopyTo(span);
            written = true;
            throw new CryptographicException("derivation failed");
        }));

        Assert.True(written);
        var released = Assert.Single(recorder.Released);
        Assert.All(released, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Create_WithInitializer_WritesStraightIntoProtectedMemory()
    {
        var ikm = Encoding.UTF8.GetBytes("input keying material");
        using var buffer = SecretBuffer.Create(32, ikm, static (span, material) => HKDF.DeriveKey(HashAlgorithmName.SHA256, material, span, salt: [], info: []));

        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32);
        Assert.True(buffer.ContentEquals(expected));
    }

    [Fact]
    public void Generate_TwoBuffers_HoldDifferentRandomBytes()
    {
        using var a = SecretBuffer.Generate(32);
        using var b = SecretBuffer.Generate(32);

        Assert.Equal(32, a.Length);
        Assert.False(a.Use(b, static (span, other) => other.ContentEquals(span)));
        Assert.False(a.Use(0, static (span, _) => span.IndexOfAnyExcept((byte)0) < 0));
    }

    [Fact]
    public void ContentEquals_SameAndDifferentBytes_ComparesLengthAndContent()
    {
        using var buffer = SecretBuffer.Create(Key);
        var other = (byte[])Key.Clone();
        other[^1] ^= 1;

        Assert.True(buffer.ContentEquals(Key));
        Assert.False(buffer.ContentEquals(other));
        Assert.False(buffer.ContentEquals(Key.AsSpan(0, 31)));
    }

    [Fact]
    public void Use_ReturnsTheResultAndReleasesTheScope()
    {
        using var recorder = new ReleaseRecorder();
        var buffer = SecretBuffer.Create(Key);
        recorder.Watch(buffer);

        var sum = buffer.Use(0, static (span, seed) => seed + span.ToArray().Sum(b => b));
        buffer.Dispose();

        Assert.Equal(Key.Sum(b => b), sum);
        Assert.Single(recorder.Released);
    }

    [Fact]
    public void Decode_Base64AndHex_DecodeToTheSameBytes()
    {
        using var fromBase64 = SecretBuffer.Decode("  " + Convert.ToBase64String(Key) + "\n", SecretEncoding.Base64);
        using var fromHex = SecretBuffer.Decode(Convert.ToHexStringLower(Key), SecretEncoding.Hex);

        Assert.Equal(32, fromBase64.Length);
        Assert.True(fromBase64.ContentEquals(Key));
        Assert.True(fromHex.ContentEquals(Key));
    }

    [Theory]
    [InlineData("not base64!!", SecretEncoding.Base64)]
    [InlineData("   ", SecretEncoding.Base64)]
    [InlineData("abc", SecretEncoding.Hex)]
    [InlineData("zz11", SecretEncoding.Hex)]
    public void Decode_InvalidText_ThrowsFormatExceptionThatDoesNotQuoteIt(string text, SecretEncoding encoding)
    {
        var ex = Assert.Throws<FormatException>(() => SecretBuffer.Decode(text, encoding));

        if (!string.IsNullOrWhiteSpace(text))
        {
            Assert.DoesNotContain(text, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromEnvironmentVariable_Base64Key_ReadsIt()
    {
        var name = "GOPI_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, Convert.ToBase64String(Key));
        try
        {
            using var buffer = SecretBuffer.FromEnvironmentVariable(name);

            Assert.True(buffer.ContentEquals(Key));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void FromEnvironmentVariable_MissingOrInvalid_ThrowsNamingTheVariableNotTheValue()
    {
        var name = "GOPI_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var missing = Assert.Throws<InvalidOperationException>(() => SecretBuffer.FromEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, "s3cr3t-but-not-base64");
        try
        {
            var invalid = Assert.Throws<FormatException>(() => SecretBuffer.FromEnvironmentVariable(name));

            Assert.Contains(name, missing.Message, StringComparison.Ordinal);
            Assert.Contains(name, invalid.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", invalid.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void ToString_DescribesLengthAndProtectionButNotTheBytes()
    {
        using var buffer = SecretBuffer.Create("hunter2-hunter2"u8);

        var text = buffer.ToString();

        Assert.StartsWith("SecretBuffer(15 bytes; ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Protection_OnLinux_MappingIsLockedExcludedFromDumpsAndWipedOnFork()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var buffer = SecretBuffer.Generate(3 * Environment.SystemPageSize);
        var entry = SmapsEntry.Find(buffer.Address);

        Assert.NotNull(entry);
        Assert.Equal(3 * Environment.SystemPageSize / 1024, entry.SizeKiB);
        Assert.Contains("dd", entry.VmFlags);
        Assert.True(buffer.Protection.HasFlag(SecretProtection.ExcludedFromCoreDumps));
        Assert.Equal(buffer.Protection.HasFlag(SecretProtection.WipedOnFork), entry.VmFlags.Contains("wf"));

        // This machine allows locking 3 pages (RLIMIT_MEMLOCK is 8 MiB by default, or CAP_IPC_LOCK): the kernel reports them locked.
        Assert.True(buffer.Protection.HasFlag(SecretProtection.Locked), buffer.ToString());
        Assert.Contains("lo", entry.VmFlags);
        Assert.Equal(entry.SizeKiB, entry.LockedKiB);
    }

    [Fact]
    public void Dispose_OnLinux_RemovesTheMapping()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var buffer = SecretBuffer.Generate(32);
        var address = buffer.Address;
        Assert.NotNull(SmapsEntry.Find(address));

        buffer.Dispose();

        // The runtime may map something else at the freed address at once; it is not ours if it is not excluded from dumps.
        var after = SmapsEntry.Find(address);
        Assert.True(after is null || !after.VmFlags.Contains("dd"), after is null ? null : string.Join(' ', after.VmFlags));
    }

    [Fact]
    public void Generate_LockRefusedByRlimitMemlock_BestEffortReturnsAnUnlockedBuffer()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var page = (ulong)Environment.SystemPageSize;
        var (protection, lockedKiB, flags) = MemlockRefusal.Run(softLimitBytes: page, () =>
        {
            using var buffer = SecretBuffer.Generate(4 * Environment.SystemPageSize);
            var entry = SmapsEntry.Find(buffer.Address)!;
            return (buffer.Protection, entry.LockedKiB, entry.VmFlags);
        });

        Assert.False(protection.HasFlag(SecretProtection.Locked));
        Assert.True(protection.HasFlag(SecretProtection.ExcludedFromCoreDumps));
        Assert.Equal(0, lockedKiB);
        Assert.DoesNotContain("lo", flags);
        Assert.Contains("dd", flags);
    }

    [Fact]
    public void Generate_LockRequiredButRefusedByRlimitMemlock_ThrowsExplainingTheLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var page = (ulong)Environment.SystemPageSize;
        var options = new SecretBufferOptions { Required = SecretProtection.Locked };
        var ex = MemlockRefusal.Run(softLimitBytes: page, () => Record.Exception(() => SecretBuffer.Generate(4 * Environment.SystemPageSize, options)));

        var refused = Assert.IsType<SecretMemoryException>(ex);
        Assert.Equal(SecretProtection.Locked, refused.Missing);
        Assert.NotEqual(0, refused.ErrorCode);
        Assert.Contains("RLIMIT_MEMLOCK", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"soft limit is {page / 1024} KiB", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_DumpExclusionRequiredOffLinux_ThrowsOrOnLinuxSucceeds()
    {
        var options = new SecretBufferOptions { Required = SecretProtection.ExcludedFromCoreDumps };
        if (OperatingSystem.IsLinux())
        {
            using var buffer = SecretBuffer.Generate(32, options);
            Assert.True(buffer.Protection.HasFlag(SecretProtection.ExcludedFromCoreDumps));
        }
        else
        {
            var ex = Assert.Throws<SecretMemoryException>(() => SecretBuffer.Generate(32, options));
            Assert.Equal(SecretProtection.ExcludedFromCoreDumps, ex.Missing);
        }
    }

    private static void CreateAndForget(ReleaseRecorder recorder)
    {
        var buffer = SecretBuffer.Create(Key);
        recorder.Watch(buffer);
    }
}
