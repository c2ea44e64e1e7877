using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.EventNeverUnsubscribedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2003;

public sealed class Diagnostics
{
    private const string Bus = "\n" + """
        public sealed class MessageBus
        {
            public static event System.EventHandler? Reset;
            public event System.EventHandler<string>? Published;
            public static MessageBus Default { get; } = new();
        }
        """;

    [Fact]
    public async Task StaticEvent_MethodGroup_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class ViewModel
            {
                public ViewModel() => [|MessageBus.Reset += OnReset|];

                private void OnReset(object? sender, System.EventArgs e) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task InjectedPublisher_StoredInField_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class Listener
            {
                private readonly MessageBus _bus;

                public Listener(MessageBus bus)
                {
                    _bus = bus;
                    [|bus.Published += OnPublished|];
                }

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task LambdaCapturingThis_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class Counter
            {
                private int _count;

                public Counter(MessageBus bus)
                {
                    [|bus.Published += (_, _) => _count++|];
                }

                public int Count => _count;
            }
            """ + Bus);
    }

    [Fact]
    public async Task StaticPropertyPublisher_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class Widget
            {
                public void Attach() => [|MessageBus.Default.Published += OnPublished|];

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task FieldNotOwned_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class Panel
            {
                private readonly MessageBus _bus;

                public Panel(MessageBus bus) => _bus = bus;

                public void Start() => [|_bus.Published += OnPublished|];

                private void OnPublished(object? sender, string message) { }
            }
            """ + Bus);
    }

    [Fact]
    public async Task UnsubscribedWithDifferentHandler_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            public sealed class ViewModel : System.IDisposable
            {
                public ViewModel()
                {
                    [|MessageBus.Reset += OnReset|];
                    MessageBus.Reset += OnOther;
                }

                public void Dispose() => MessageBus.Reset -= OnOther;

                private void OnReset(object? sender, System.EventArgs e) { }

                private void OnOther(object? sender, System.EventArgs e) { }
            }
            """ + Bus);
    }
}
