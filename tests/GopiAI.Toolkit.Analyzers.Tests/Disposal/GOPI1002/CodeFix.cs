using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Disposal.DisposableDiscardedAnalyzer,
    GopiAI.Toolkit.CodeFixes.Disposal.AddUsingCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1002;

/// <summary>The "Dispose with a using declaration" fix for GOPI1002.</summary>
public sealed class CodeFix
{
    [Fact]
    public async Task Fix_ExpressionStatement_BecomesUsingDeclaration()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.IO;

            class C
            {
                void M(string p)
                {
                    [|File.OpenRead(p)|];
                }
            }
            """,
            """
            using System.IO;

            class C
            {
                void M(string p)
                {
                    using var fileStream = File.OpenRead(p);
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_DiscardAssignment_PicksUnusedName()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void M(int timer)
                {
                    _ = [|new Timer(_ => { })|];
                    _ = [|new Timer(_ => { })|];
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void M(int timer)
                {
                    using var timer1 = new Timer(_ => { });
                    using var timer2 = new Timer(_ => { });
                }
            }
            """);
    }
}
