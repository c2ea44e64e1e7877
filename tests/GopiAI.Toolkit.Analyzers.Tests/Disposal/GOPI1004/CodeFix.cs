using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Disposal.OwnerNotDisposableAnalyzer,
    GopiAI.Toolkit.CodeFixes.Disposal.ImplementIDisposableCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1004;

/// <summary>The "Implement IDisposable" fix.</summary>
public sealed class CodeFix
{
    [Fact]
    public async Task Fix_NoBaseList_AddsInterfaceAndDispose()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class {|GOPI1004:Poller|}
            {
                private readonly Timer _timer = new(_ => { });
                private Stream? _log = File.OpenWrite("log");
            }
            """,
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class Poller : IDisposable
            {
                private readonly Timer _timer = new(_ => { });
                private Stream? _log = File.OpenWrite("log");

                public void Dispose()
                {
                    _timer.Dispose();
                    _log?.Dispose();
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_ExistingBaseList_AppendsInterface()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            interface IWorker { }

            sealed class {|GOPI1004:Worker|} : IWorker
            {
                private readonly SemaphoreSlim _gate = new(1);
            }
            """,
            """
            using System.Threading;

            interface IWorker { }

            sealed class Worker : IWorker, System.IDisposable
            {
                private readonly SemaphoreSlim _gate = new(1);

                public void Dispose()
                {
                    _gate.Dispose();
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_AsyncOnlyMember_ImplementsIAsyncDisposable()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            sealed class Connection : IAsyncDisposable
            {
                public ValueTask DisposeAsync() => default;
            }

            sealed class {|GOPI1004:Client|}
            {
                private readonly Connection _connection = new();
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            sealed class Connection : IAsyncDisposable
            {
                public ValueTask DisposeAsync() => default;
            }

            sealed class Client : IAsyncDisposable
            {
                private readonly Connection _connection = new();

                public async ValueTask DisposeAsync()
                {
                    await _connection.DisposeAsync().ConfigureAwait(false);
                }
            }
            """);
    }
}
