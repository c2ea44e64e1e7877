using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Growth.UnboundedProducerQueueAnalyzer,
    GopiAI.Toolkit.CodeFixes.Growth.BoundedQueueCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2005;

public sealed class CodeFix
{
    [Fact]
    public async Task CreateUnbounded_WithOptions_BecomesBoundedAndKeepsTheOptions()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Channels;

            public static class Events
            {
                private static readonly Channel<string> Queue = {|GOPI2005:Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true })|};

                public static bool Publish(string item) => Queue.Writer.TryWrite(item);
            }
            """,
            """
            using System.Threading.Channels;

            public static class Events
            {
                private static readonly Channel<string> Queue = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

                public static bool Publish(string item) => Queue.Writer.TryWrite(item);
            }
            """);
    }

    [Fact]
    public async Task BlockingCollection_GetsABoundedCapacity()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Concurrent;

            public static class Work
            {
                private static readonly BlockingCollection<int> Items = {|GOPI2005:new BlockingCollection<int>()|};

                public static void Add(int item) => Items.Add(item);
            }
            """,
            """
            using System.Collections.Concurrent;

            public static class Work
            {
                private static readonly BlockingCollection<int> Items = new BlockingCollection<int>(boundedCapacity: 1000);

                public static void Add(int item) => Items.Add(item);
            }
            """);
    }
}
