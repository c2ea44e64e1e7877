using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.UnboundedProducerQueueAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2005;

public sealed class Diagnostics
{
    [Fact]
    public async Task StaticUnboundedChannel_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading.Channels;

            public static class Events
            {
                private static readonly Channel<string> s_events = {|GOPI2005:Channel.CreateUnbounded<string>()|};

                public static bool Publish(string e) => s_events.Writer.TryWrite(e);

                public static ChannelReader<string> Reader => s_events.Reader;
            }
            """);
    }

    [Fact]
    public async Task SingletonUnboundedChannelCreatedInConstructor_Reports()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Threading.Channels;
                using Microsoft.Extensions.DependencyInjection;

                public sealed class EmailQueue
                {
                    private readonly Channel<string> _pending;

                    public EmailQueue() => _pending = {|GOPI2005:Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true })|};

                    public bool Enqueue(string address) => _pending.Writer.TryWrite(address);
                }

                public static class Setup
                {
                    public static void Configure(IServiceCollection services) => services.AddSingleton(typeof(EmailQueue));
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task StaticBlockingCollectionWithoutBound_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;

            public class Worker
            {
                private static readonly BlockingCollection<int> s_jobs = {|GOPI2005:new BlockingCollection<int>()|};

                public void Post(int job) => s_jobs.Add(job);

                public int Next() => s_jobs.Take();
            }
            """);
    }

    [Fact]
    public async Task StaticConcurrentQueueOnlyEnqueued_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;

            public static class Outbox
            {
                private static readonly ConcurrentQueue<string> {|GOPI2005:s_messages|} = new();

                public static void Post(string message) => s_messages.Enqueue(message);

                public static int Pending => s_messages.Count;
            }
            """);
    }
}
