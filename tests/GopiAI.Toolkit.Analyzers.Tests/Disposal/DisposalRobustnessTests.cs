using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal;

/// <summary>
/// Runs every disposal analyzer over one file full of unusual shapes (top-level statements, primary constructors,
/// iterators, exception filters, goto, nested functions). An analyzer that throws is reported as AD0001 and fails the
/// test; the expected diagnostics pin down the few real leaks in the file.
/// </summary>
public sealed class DisposalRobustnessTests
{
    private const string Source = """
        using System;
        using System.Buffers;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        using var top = File.OpenRead("a");
        var leaked = {|GOPI1001:File.OpenRead("b")|};
        Console.WriteLine(top.Length + leaked.Length);

        record Entry(string Name, Stream Body);

        sealed class Primary(string path) : IDisposable
        {
            private readonly Stream _s = File.OpenRead(path);
            public void Dispose() => _s.Dispose();
        }

        static class Shapes
        {
            public static IEnumerable<Stream> Iterate(string[] paths)
            {
                foreach (var p in paths)
                {
                    yield return File.OpenRead(p);
                }
            }

            public static async Task<int> Filtered(string p)
            {
                var s = File.OpenRead(p);
                try
                {
                    await Task.Yield();
                    return s.ReadByte();
                }
                catch (IOException e) when (e.HResult != 0)
                {
                    return -1;
                }
                finally
                {
                    await s.DisposeAsync();
                }
            }

            public static int Goto(string p)
            {
                var s = File.OpenRead(p);
                var n = 0;
            again:
                if (n++ < 3) goto again;
                s.Dispose();
                return n;
            }

            public static int Switch(object o, string p)
            {
                switch (o)
                {
                    case int i when i > 0:
                        using (var s = File.OpenRead(p)) { return s.ReadByte(); }
                    case string text:
                        var w = {|GOPI1001:new StreamWriter(p)|};
                        w.Write(text);
                        return 0;
                    default:
                        return 1;
                }
            }

            public static Func<Task<long>> Nested(string p) => async () =>
            {
                long Local()
                {
                    using var s = File.OpenRead(p);
                    return s.Length;
                }

                await Task.Yield();
                return Local();
            };

            public static Entry Make(string p) => new Entry(p, File.OpenRead(p));

            public static void Span()
            {
                Span<byte> stack = stackalloc byte[16];
                var rented = ArrayPool<byte>.Shared.Rent(16);
                stack.CopyTo(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }

            public static void Ref(ref Stream? target, string p)
            {
                ref var alias = ref target;
                alias = File.OpenRead(p);
            }
        }

        class Initializers
        {
            private readonly Func<int> _probe = () => { var s = {|GOPI1001:File.OpenRead("p")|}; return s.ReadByte(); };
            private static readonly Func<long> Size = () => { using var s = File.OpenRead("p"); return s.Length; };
            public long Length { get { var s = {|GOPI1001:File.OpenRead("q")|}; return s.Length; } }
            public int Probe() => _probe();
        }

        class BaseWithStream
        {
            protected BaseWithStream(Stream s) { }
        }

        sealed class Derived() : BaseWithStream(File.OpenRead("r"));

        struct {|GOPI1004:Holder|}
        {
            private Timer? _t;
            public void Start() { _t?.Dispose(); _t = new Timer(_ => { }); }
        }
        """;

    [Fact]
    public async Task Analyzers_UnusualShapes_ReportOnlyRealLeaksAndNeverThrow()
    {
        var test = new AllDisposalAnalyzersTest { TestCode = Source };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    private sealed class AllDisposalAnalyzersTest : Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<DisposableNotDisposedAnalyzer, DefaultVerifier>
    {
        public AllDisposalAnalyzersTest()
        {
            ReferenceAssemblies = TestReferences.Default;
            SolutionTransforms.Add(TestSetup.UseLatestLanguageVersion);
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        protected override IEnumerable<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
        [
            new DisposableNotDisposedAnalyzer(),
            new DisposableDiscardedAnalyzer(),
            new OwnedMemberNotDisposedAnalyzer(),
            new OwnerNotDisposableAnalyzer(),
            new ReassignedWithoutDisposeAnalyzer(),
            new RentedNotReturnedAnalyzer(),
        ];
    }
}
