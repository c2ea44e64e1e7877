using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Disposal.ReassignedWithoutDisposeAnalyzer,
    GopiAI.Toolkit.CodeFixes.Disposal.DisposeBeforeReassignCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1005;

/// <summary>The "Dispose the old value before reassigning" fix.</summary>
public sealed class CodeFix
{
    [Fact]
    public async Task Fix_StatementInBlock_InsertsDispose()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private Timer _timer = new(_ => { });

                public void Reset()
                {
                    [|_timer = new Timer(_ => { })|];
                }

                public void Dispose() => _timer.Dispose();
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private Timer _timer = new(_ => { });

                public void Reset()
                {
                    _timer?.Dispose();
                    _timer = new Timer(_ => { });
                }

                public void Dispose() => _timer.Dispose();
            }
            """);
    }

    [Fact]
    public async Task Fix_ExpressionBodiedMethods_FixAllConvertsBoth()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private Timer? _timer;

                public void A() => [|_timer = new Timer(_ => { })|];

                public void B() => [|_timer = new Timer(_ => { })|];

                public void Dispose() => _timer?.Dispose();
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class C : IDisposable
            {
                private Timer? _timer;

                public void A()
                {
                    _timer?.Dispose();
                    _timer = new Timer(_ => { });
                }

                public void B()
                {
                    _timer?.Dispose();
                    _timer = new Timer(_ => { });
                }

                public void Dispose() => _timer?.Dispose();
            }
            """);
    }
}
