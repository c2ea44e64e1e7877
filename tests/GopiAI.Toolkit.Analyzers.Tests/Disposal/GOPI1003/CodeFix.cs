using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Disposal.OwnedMemberNotDisposedAnalyzer,
    GopiAI.Toolkit.CodeFixes.Disposal.DisposeMemberCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1003;

/// <summary>The "Dispose the member in Dispose" fix.</summary>
public sealed class CodeFix
{
    [Fact]
    public async Task Fix_BlockDispose_AppendsDisposeCalls()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class C : IDisposable
            {
                private readonly Timer [|_timer|] = new(_ => { });
                private Stream? [|_stream|] = File.OpenRead("x");

                public void Dispose()
                {
                    Console.WriteLine("bye");
                }
            }
            """,
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class C : IDisposable
            {
                private readonly Timer _timer = new(_ => { });
                private Stream? _stream = File.OpenRead("x");

                public void Dispose()
                {
                    Console.WriteLine("bye");
                    _timer.Dispose();
                    _stream?.Dispose();
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_DisposeBoolPattern_AddsInsideDisposingBlock()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            class C : IDisposable
            {
                private readonly Timer [|_timer|] = new(_ => { });

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading;

            class C : IDisposable
            {
                private readonly Timer _timer = new(_ => { });

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        _timer.Dispose();
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_ExpressionBodiedDispose_BecomesBlock()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private readonly Timer _a = new(_ => { });
                private readonly Timer [|_b|] = new(_ => { });

                public void Dispose() => _a.Dispose();
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private readonly Timer _a = new(_ => { });
                private readonly Timer _b = new(_ => { });

                public void Dispose()
                {
                    _a.Dispose();
                    _b.Dispose();
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_InheritedDispose_OverridesDisposeBool()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            class Base : IDisposable
            {
                public void Dispose() => Dispose(true);

                protected virtual void Dispose(bool disposing)
                {
                }
            }

            sealed class C : Base
            {
                private readonly Timer [|_timer|] = new(_ => { });
            }
            """,
            """
            using System;
            using System.Threading;

            class Base : IDisposable
            {
                public void Dispose() => Dispose(true);

                protected virtual void Dispose(bool disposing)
                {
                }
            }

            sealed class C : Base
            {
                private readonly Timer _timer = new(_ => { });

                protected override void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        _timer.Dispose();
                    }

                    base.Dispose(disposing);
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_ExpressionBodiedDisposeAsync_KeepsReturnLast()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            sealed class C : IAsyncDisposable
            {
                private readonly Stream _stream = File.OpenRead("x");
                private readonly Timer [|_timer|] = new(_ => { });

                public ValueTask DisposeAsync() => _stream.DisposeAsync();
            }
            """,
            """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            sealed class C : IAsyncDisposable
            {
                private readonly Stream _stream = File.OpenRead("x");
                private readonly Timer _timer = new(_ => { });

                public ValueTask DisposeAsync()
                {
                    _timer.Dispose();
                    return _stream.DisposeAsync();
                }
            }
            """);
    }
}
