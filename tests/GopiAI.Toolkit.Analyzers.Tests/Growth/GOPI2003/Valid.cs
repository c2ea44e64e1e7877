using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.EventNeverUnsubscribedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2003;

public sealed class Valid
{
    private const string Bus = "\n" + """
        public sealed class MessageBus
        {
            public static event System.EventHandler? Reset;
            public event System.EventHandler<string>? Published;
        }
        """;

    [Fact]
    public async Task SubscriptionRemovedInDispose_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Listener : System.IDisposable
            {
                private readonly MessageBus _bus;

                public Listener(MessageBus bus)
                {
                    _bus = bus;
                    _bus.Published += OnPublished;
                    MessageBus.Reset += OnReset;
                }

                public void Dispose()
                {
                    _bus.Published -= OnPublished;
                    MessageBus.Reset -= OnReset;
                }

                private void OnPublished(object? sender, string message) { }

                private void OnReset(object? sender, System.EventArgs e) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task OwnedPublisher_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Owner
            {
                private readonly MessageBus _bus = new();

                public Owner() => _bus.Published += OnPublished;

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task StaticHandler_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Logger
            {
                public Logger(MessageBus bus) => bus.Published += Log;

                private static void Log(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task LambdaNotCapturingThis_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Logger
            {
                public Logger(MessageBus bus) => bus.Published += static (_, m) => System.Console.WriteLine(m);
            }
            """ + Bus);
    }

    [Fact]
    public async Task OwnEvent_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Button
            {
                public event System.EventHandler? Clicked;

                public Button() => Clicked += OnClicked;

                private void OnClicked(object? sender, System.EventArgs e) { }
            }
            """);
    }

    [Fact]
    public async Task LocalPublisher_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public sealed class Runner
            {
                public void Run()
                {
                    var bus = new MessageBus();
                    bus.Published += OnPublished;
                }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task StaticClassSubscriber_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            public static class Diagnostics
            {
                public static void Install() => MessageBus.Reset += OnReset;

                private static void OnReset(object? sender, System.EventArgs e) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task LazyStartupSubscriber_NoDiagnostic()
    {
        var test = new Verify.Test
        {
            TestCode = """
                [GopiAI.Toolkit.LazyStartup]
                public partial class Telemetry
                {
                    public Telemetry() => MessageBus.Reset += OnReset;

                    private void OnReset(object? sender, System.EventArgs e) { }
                }
                """ + Bus,
        }.WithToolkitStubs();
        await test.RunAsync();
    }
}
