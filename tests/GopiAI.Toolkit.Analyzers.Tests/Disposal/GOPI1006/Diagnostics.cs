using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1006;

/// <summary>Rentals that are not returned on every path.</summary>
public sealed class Diagnostics
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
        }

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["NeverReturned"] = "void M(Stream s) { var buf = [|ArrayPool<byte>.Shared.Rent(4096)|]; s.Read(buf, 0, buf.Length); }",
        ["EarlyReturn"] = "int M(Stream s) { var buf = [|ArrayPool<byte>.Shared.Rent(16)|]; if (s.Read(buf, 0, 16) == 0) return 0; ArrayPool<byte>.Shared.Return(buf); return 1; }",
        ["PassingToMemoryStreamDoesNotReturn"] = "void M() { var buf = [|ArrayPool<byte>.Shared.Rent(16)|]; using var ms = new MemoryStream(buf); }",
        ["ObjectPoolGetNotReturned"] = "string M(ObjectPool<StringBuilder> pool) { var sb = [|pool.Get()|]; return sb.Append('x').ToString(); }",
        ["PooledRentNotReturned"] = "void M() { var s = [|Scratch.Rent()|]; }",
        ["DiscardedRent"] = "void M() { [|ArrayPool<byte>.Shared.Rent(16)|]; }",
        ["UsedAndDropped"] = "string M(ObjectPool<StringBuilder> pool) => [|pool.Get()|].Append('x').ToString();",
        ["IndexedButNeverReturned"] = "int M() { var b = [|ArrayPool<int>.Shared.Rent(4)|]; b[0] = 1; return b[0]; }",
        ["EnumeratedButNeverReturned"] = "int M() { var b = [|ArrayPool<int>.Shared.Rent(4)|]; var sum = 0; foreach (var i in b) { sum += i; } return sum; }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_RentalNotReturned_ReportsGOPI1006(string name)
    {
        var test = new CSharpAnalyzerVerifier<RentedNotReturnedAnalyzer>.Test
        {
            ReferenceAssemblies = TestReferences.WithObjectPool,
            TestCode = Usings + "class C\n{\n    " + Cases[name] + "\n}\n",
        }.WithToolkitStubs();
        await test.RunAsync();
    }
}
