using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.Tests.Security;

[Collection(SecureMemoryCollection.Name)]
public sealed class SecretBufferSoakTests
{
    [Fact]
    public async Task AcquireAndDispose_RacingThreads_EveryReaderSeesTheSecretOrADisposedErrorAndTheMemoryIsZeroedOnce()
    {
        var secret = Enumerable.Range(0, 48).Select(i => (byte)(i + 1)).ToArray();
        using var recorder = new ReleaseRecorder();
        for (var round = 0; round < 50; round++)
        {
            var buffer = SecretBuffer.Create(secret);
            recorder.Watch(buffer);
            using var start = new Barrier(5);
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                int reads = 0, refused = 0;
                for (var i = 0; i < 200; i++)
                {
                    try
                    {
                        using var scope = buffer.Acquire();
                        Assert.True(scope.Span.SequenceEqual(secret));
                        reads++;
                    }
                    catch (ObjectDisposedException)
                    {
                        refused++;
                    }
                }

                return (reads, refused);
            })).ToArray();
            var disposer = Task.Run(() =>
            {
                start.SignalAndWait();
                Thread.SpinWait(500 * round);
                buffer.Dispose();
            });

            await Task.WhenAll([.. readers, disposer]);

            Assert.Equal(800, readers.Sum(r => r.Result.reads + r.Result.refused));
            Assert.Equal(round + 1, recorder.Released.Count);
            Assert.All(recorder.Released[^1], b => Assert.Equal(0, b));
        }
    }
}
