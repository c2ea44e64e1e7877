namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Lets work enter while an owner is open and lets the owner close only after the work inside has left: every
/// operation that touches a disposable resource calls <see cref="TryEnter"/> / <see cref="Exit"/> around it, and
/// disposal calls <see cref="Close"/> and waits for <see cref="Drained"/> before releasing the resource. Lock-free:
/// one integer holds the count of operations inside, offset by <see cref="int.MinValue"/> once closed.
/// </summary>
internal sealed class DisposalGate
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>Whether <see cref="Close"/> was called (work inside may still be running).</summary>
    public bool IsClosed => Volatile.Read(ref _state) < 0;

    /// <summary>Completes when the gate is closed and the last operation inside has left.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Enters the gate; false once it is closed (the caller then throws <see cref="ObjectDisposedException"/>).</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>Leaves the gate; the last operation to leave a closed gate completes <see cref="Drained"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _state) == int.MinValue)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Closes the gate: no operation enters any more. Returns true for the call that closed it.</summary>
    public bool Close()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + int.MinValue, state) == state)
            {
                if (state == 0)
                {
                    _drained.TrySetResult();
                }

                return true;
            }
        }
    }
}
