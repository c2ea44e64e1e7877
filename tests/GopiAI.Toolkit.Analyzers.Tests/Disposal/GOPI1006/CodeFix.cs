using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using GopiAI.Toolkit.CodeFixes.Disposal;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1006;

/// <summary>The "Return the rented object on every path" fix.</summary>
public sealed class CodeFix
{
    private static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new CSharpCodeFixVerifier<RentedNotReturnedAnalyzer, ReturnRentalCodeFixProvider>.Test
        {
            ReferenceAssemblies = TestReferences.WithObjectPool,
            TestCode = source,
            FixedCode = fixedSource,
        }.WithToolkitStubs();
        return test.RunAsync();
    }

    [Fact]
    public async Task Fix_ArrayPool_WrapsRestInTryFinally()
    {
        await VerifyAsync(
            """
            using System.Buffers;
            using System.IO;

            class C
            {
                int M(Stream s)
                {
                    var buffer = [|ArrayPool<byte>.Shared.Rent(4096)|];
                    var read = s.Read(buffer, 0, buffer.Length);
                    if (read == 0)
                    {
                        return 0;
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                    return read;
                }
            }
            """,
            """
            using System.Buffers;
            using System.IO;

            class C
            {
                int M(Stream s)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(4096);
                    try
                    {
                        var read = s.Read(buffer, 0, buffer.Length);
                        if (read == 0)
                        {
                            return 0;
                        }

                        return read;
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_PooledType_UsesRentScoped()
    {
        await VerifyAsync(
            """
            using GopiAI.Toolkit;

            [Pooled]
            partial class Scratch
            {
                public static Scratch Rent() => new();
                public static void Return(Scratch s) { }
                public static Lease RentScoped() => default;
                public ref struct Lease { public Scratch Value => new(); public void Dispose() { } }
                public int Size;
            }

            class C
            {
                int M()
                {
                    var scratch = [|Scratch.Rent()|];
                    return scratch.Size;
                }
            }
            """,
            """
            using GopiAI.Toolkit;

            [Pooled]
            partial class Scratch
            {
                public static Scratch Rent() => new();
                public static void Return(Scratch s) { }
                public static Lease RentScoped() => default;
                public ref struct Lease { public Scratch Value => new(); public void Dispose() { } }
                public int Size;
            }

            class C
            {
                int M()
                {
                    using var scratchLease = Scratch.RentScoped();
                    var scratch = scratchLease.Value;
                    return scratch.Size;
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_All_TwoRentalsInOneBlock_NestsTryFinally()
    {
        await VerifyAsync(
            """
            using System.Buffers;

            class C
            {
                int M(ArrayPool<int> pool)
                {
                    var a = [|pool.Rent(8)|];
                    var b = [|pool.Rent(8)|];
                    a[0] = 1;
                    b[0] = 2;
                    return a[0] + b[0];
                }
            }
            """,
            """
            using System.Buffers;

            class C
            {
                int M(ArrayPool<int> pool)
                {
                    var a = pool.Rent(8);
                    try
                    {
                        var b = pool.Rent(8);
                        try
                        {
                            a[0] = 1;
                            b[0] = 2;
                            return a[0] + b[0];
                        }
                        finally
                        {
                            pool.Return(b);
                        }
                    }
                    finally
                    {
                        pool.Return(a);
                    }
                }
            }
            """);
    }
}
