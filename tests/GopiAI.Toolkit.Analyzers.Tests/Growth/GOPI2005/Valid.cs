using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.UnboundedProducerQueueAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2005;

public sealed class Valid
{
    [Fact]
    public async Task BoundedChannel_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Threading.Channels;

            public static class Events
            {
                private static readonly Channel<string> s_events = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

                public static bool Publish(string e) => s_events.Writer.TryWrite(e);
            }
            """);
    }

    [Fact]
    public async Task BoundedBlockingCollection_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public class Worker
            {
                private static readonly BlockingCollection<int> s_jobs = new BlockingCollection<int>(boundedCapacity: 100);

                public void Post(int job) => s_jobs.Add(job);
            }
            """);
    }

    [Fact]
    public async Task ConcurrentQueueDrained_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Outbox
            {
                private static readonly ConcurrentQueue<string> s_messages = new();

                public static void Post(string message) => s_messages.Enqueue(message);

                public static string? Next() => s_messages.TryDequeue(out var message) ? message : null;
            }
            """);
    }

    [Fact]
    public async Task ConcurrentQueueCapacityChecked_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Concurrent;

            public static class Outbox
            {
                private static readonly ConcurrentQueue<string> s_messages = new();

                public static bool Post(string message)
                {
                    if (s_messages.Count >= 10_000)
                    {
                        return false;
                    }

                    s_messages.Enqueue(message);
                    return true;
                }
            }
            """);
    }

    [Fact]
    public async Task UnboundedChannelPerOperation_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Threading.Channels;

            public sealed class Pipeline
            {
                public ChannelReader<int> Run()
                {
                    var channel = Channel.CreateUnbounded<int>();
                    channel.Writer.TryWrite(1);
                    channel.Writer.Complete();
                    return channel.Reader;
                }
            }
            """);
    }

    [Fact]
    public async Task UnboundedChannelInShortLivedInstance_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Threading.Channels;

            public sealed class Session
            {
                private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();

                public bool Send(string message) => _messages.Writer.TryWrite(message);
            }
            """);
    }
}
