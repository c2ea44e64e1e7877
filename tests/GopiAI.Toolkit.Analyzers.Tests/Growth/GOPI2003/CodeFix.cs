using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Growth.EventNeverUnsubscribedAnalyzer,
    GopiAI.Toolkit.CodeFixes.Growth.EventNeverUnsubscribedCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2003;

public sealed class CodeFix
{
    private const string Bus = "\n" + """
        public sealed class MessageBus
        {
            public static event System.EventHandler? Reset;
            public event System.EventHandler<string>? Published;
        }
        """;

    [Fact]
    public async Task NoDispose_ImplementsIDisposableWithUnsubscription()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;

            public sealed class ViewModel
            {
                public ViewModel() => [|MessageBus.Reset += OnReset|];

                private void OnReset(object? sender, EventArgs e) { }
            }
            """ + Bus,
            """
            using System;

            public sealed class ViewModel : IDisposable
            {
                public ViewModel() => MessageBus.Reset += OnReset;

                private void OnReset(object? sender, EventArgs e) { }

                public void Dispose()
                {
                    MessageBus.Reset -= OnReset;
                }
            }
            """ + Bus);
    }

    [Fact]
    public async Task ExistingDispose_ExtendedWithUnsubscriptionThroughStoredField()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;

            public sealed class Listener : IDisposable
            {
                private readonly MessageBus _bus;
                private readonly IDisposable _timer;

                public Listener(MessageBus bus, IDisposable timer)
                {
                    _bus = bus;
                    _timer = timer;
                    [|bus.Published += OnPublished|];
                }

                public void Dispose()
                {
                    _timer.Dispose();
                }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus,
            """
            using System;

            public sealed class Listener : IDisposable
            {
                private readonly MessageBus _bus;
                private readonly IDisposable _timer;

                public Listener(MessageBus bus, IDisposable timer)
                {
                    _bus = bus;
                    _timer = timer;
                    bus.Published += OnPublished;
                }

                public void Dispose()
                {
                    _timer.Dispose();
                    _bus.Published -= OnPublished;
                }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task ExpressionBodiedDispose_ConvertedToBlock()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;

            public sealed class Panel(MessageBus bus) : IDisposable
            {
                private int _disposed;

                public void Start() => [|bus.Published += OnPublished|];

                public void Dispose() => _disposed++;

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus,
            """
            using System;

            public sealed class Panel(MessageBus bus) : IDisposable
            {
                private int _disposed;

                public void Start() => bus.Published += OnPublished;

                public void Dispose()
                {
                    _disposed++;
                    bus.Published -= OnPublished;
                }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task TwoSubscriptions_FixAll_AddsBothToOneDispose()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;

            public sealed class Screen
            {
                private readonly MessageBus _bus;

                public Screen(MessageBus bus)
                {
                    _bus = bus;
                    [|MessageBus.Reset += OnReset|];
                    [|_bus.Published += OnPublished|];
                }

                private void OnReset(object? sender, EventArgs e) { }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus,
            """
            using System;

            public sealed class Screen : IDisposable
            {
                private readonly MessageBus _bus;

                public Screen(MessageBus bus)
                {
                    _bus = bus;
                    MessageBus.Reset += OnReset;
                    _bus.Published += OnPublished;
                }

                private void OnReset(object? sender, EventArgs e) { }

                private void OnPublished(object? sender, string message) { }

                public void Dispose()
                {
                    MessageBus.Reset -= OnReset;
                    _bus.Published -= OnPublished;
                }
            }
            """ + Bus);
    }

    [Fact]
    public async Task LambdaHandler_NoFixOffered()
    {
        const string source = """
            public sealed class Counter
            {
                private int _count;

                public Counter(MessageBus bus) => [|bus.Published += (_, _) => _count++|];

                public int Count => _count;
            }
            """ + Bus;
        await Verify.VerifyCodeFixAsync(source, source);
    }
}
