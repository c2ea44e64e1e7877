using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1006;

/// <summary>Rentals that are returned, and GOPI1006 must leave alone.</summary>
public sealed class Valid
{
    private const string Usings = """
        using System;
        using System.Buffers;
        using System.IO;
        using System.Text;
        using Microsoft.Extensions.ObjectPool;
        using GopiAI.Toolkit;

        [Pooled]
        partial class Scratch
        {
            public static Scratch Rent() => new();
            public static void Return(Scratch s) { }
            public static Lease RentScoped() => default;
            public ref struct Lease { public void Dispose() { } }
        }

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["TryFinallyReturn"] = "int M(Stream s) { var buf = ArrayPool<byte>.Shared.Rent(4096); try { return s.Read(buf, 0, buf.Length); } finally { ArrayPool<byte>.Shared.Return(buf); } }",
        ["ReturnedAtEnd"] = "void M(Stream s) { var buf = ArrayPool<byte>.Shared.Rent(16); s.Read(buf, 0, 16); ArrayPool<byte>.Shared.Return(buf); }",
        ["FieldPool"] = "readonly ArrayPool<char> _pool = ArrayPool<char>.Create(); void M() { var b = _pool.Rent(8); b[0] = 'x'; _pool.Return(b, clearArray: true); }",
        ["ObjectPoolGetReturn"] = "string M(ObjectPool<StringBuilder> pool) { var sb = pool.Get(); try { return sb.Append('x').ToString(); } finally { pool.Return(sb); } }",
        ["PooledRentReturn"] = "void M() { var s = Scratch.Rent(); Scratch.Return(s); }",
        ["PooledRentScoped"] = "void M() { using var lease = Scratch.RentScoped(); }",
        ["HandedToCaller"] = "byte[] M() => ArrayPool<byte>.Shared.Rent(16);",
        ["StoredInField"] = "byte[]? _buf; void M() { _buf = ArrayPool<byte>.Shared.Rent(16); }",
        ["ThrowPathNotALeak"] = "void M(bool bad) { var b = ArrayPool<byte>.Shared.Rent(16); if (bad) throw new InvalidOperationException(); ArrayPool<byte>.Shared.Return(b); }",
        ["ReturnedOnBothBranches"] = "int M(bool x) { var b = ArrayPool<byte>.Shared.Rent(16); if (x) { ArrayPool<byte>.Shared.Return(b); return 1; } ArrayPool<byte>.Shared.Return(b); return 0; }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_RentalReturned_NoDiagnostic(string name)
    {
        var test = new CSharpAnalyzerVerifier<RentedNotReturnedAnalyzer>.Test
        {
            ReferenceAssemblies = TestReferences.WithObjectPool,
            TestCode = Usings + "class C\n{\n    " + Cases[name] + "\n}\n",
        }.WithToolkitStubs();
        await test.RunAsync();
    }
}
