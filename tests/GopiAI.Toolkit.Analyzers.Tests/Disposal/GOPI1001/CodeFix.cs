using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.CodeFixes.Disposal;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Disposal.DisposableNotDisposedAnalyzer,
    GopiAI.Toolkit.CodeFixes.Disposal.AddUsingCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1001;

/// <summary>The "Dispose with a using declaration" fix for GOPI1001.</summary>
public sealed class CodeFix
{
    [Fact]
    public async Task Fix_LocalDeclaration_AddsUsing()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.IO;

            class C
            {
                int M(string p)
                {
                    // read one byte
                    var s = [|File.OpenRead(p)|];
                    return s.ReadByte();
                }
            }
            """,
            """
            using System.IO;

            class C
            {
                int M(string p)
                {
                    // read one byte
                    using var s = File.OpenRead(p);
                    return s.ReadByte();
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_Receiver_HoistsIntoUsingLocal()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.IO;

            class C
            {
                string M(string p)
                {
                    var text = [|new StreamReader(p)|].ReadToEnd();
                    return text;
                }
            }
            """,
            """
            using System.IO;

            class C
            {
                string M(string p)
                {
                    using var streamReader = new StreamReader(p);
                    var text = streamReader.ReadToEnd();
                    return text;
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_All_FixesEveryLocalInDocument()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.IO;

            class C
            {
                void M(string p)
                {
                    var a = [|File.OpenRead(p)|];
                    var b = [|File.OpenRead(p)|];
                    a.CopyTo(b);
                }
            }
            """,
            """
            using System.IO;

            class C
            {
                void M(string p)
                {
                    using var a = File.OpenRead(p);
                    using var b = File.OpenRead(p);
                    a.CopyTo(b);
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_ReturnedOnSomePath_OffersNoFix()
    {
        const string source = """
            using System.IO;

            class C
            {
                Stream? M(string p, bool b)
                {
                    var s = [|File.OpenRead(p)|];
                    if (b)
                    {
                        s.ReadByte();
                        return null;
                    }

                    return s;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public async Task Fix_DeclarationInSwitchSection_OffersNoFix()
    {
        const string source = """
            using System.IO;

            class C
            {
                long M(int k, string p)
                {
                    switch (k)
                    {
                        case 0:
                            var s = [|File.OpenRead(p)|];
                            return s.Length;
                        default:
                            return 0;
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source);
    }
}
