using System.Threading.Channels;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// The single writer of a memory file: operations run one at a time, in arrival order, on one dedicated thread that
/// owns the write connection. SQLite allows one writer per file anyway; queueing inside the process means our own
/// writes never contend for the lock (no "database is locked" between threads), only other processes can.
/// </summary>
internal sealed class WriteQueue<TState> : IAsyncDisposable
{
    private readonly Channel<IWorkItem> _channel = Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TState _state;
    private readonly Task _worker;

    public WriteQueue(TState state)
    {
        _state = state;
        _worker = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private interface IWorkItem
    {
        void Execute(TState state);
    }

    public Task<T> EnqueueAsync<T>(Func<TState, T> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WorkItem<T>(operation, cancellationToken);
        if (!_channel.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SemanticMemoryManager), "The memory is closed.");
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var item in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            item.Execute(_state);
        }
    }

    private sealed class WorkItem<T>(Func<TState, T> operation, CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void Execute(TState state)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                _completion.TrySetResult(operation(state));
            }
#pragma warning disable CA1031 // The exception is handed to the caller through the task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _completion.TrySetException(ex);
            }
        }
    }
}
