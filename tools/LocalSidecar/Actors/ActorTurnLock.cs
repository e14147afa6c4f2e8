using Grpc.Core;
using LocalSidecar.Api;

namespace LocalSidecar.Actors;

/// <summary>
/// One actor's turn (dapr:pkg/actors/targets/app/lock/lock.go): a FIFO lock that method calls, reminders, timers and
/// deactivation all take. A call carrying the reentrancy id of the turn's holder enters at once (when the type
/// enables reentrancy; the caller passes null otherwise), up to the type's maxStackDepth.
/// </summary>
public sealed class ActorTurnLock
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource<string?>> _waiters = new();
    private bool _held;
    private string? _holderReentrancyId;
    private int _depth;

    /// <summary>True when nobody holds or waits for the turn.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
                return !_held && _waiters.Count == 0;
        }
    }

    public async Task<IDisposable> EnterAsync(string? reentrancyId, int maxStackDepth, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<string?>> node;
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                _holderReentrancyId = reentrancyId;
                _depth = 1;
                return new Turn(this);
            }

            if (reentrancyId is not null && reentrancyId == _holderReentrancyId)
            {
                if (_depth >= maxStackDepth)
                    throw new DaprError(500, "ERR_ACTOR_STACK_DEPTH", "maximum stack depth exceeded", StatusCode.Internal);
                _depth++;
                return new Turn(this);
            }

            node = _waiters.AddLast(new TaskCompletionSource<string?>(reentrancyId, TaskCreationOptions.RunContinuationsAsynchronously));
        }

        await using (cancellationToken.Register(() => Abandon(node)))
            await node.Value.Task;
        return new Turn(this);
    }

    private void Abandon(LinkedListNode<TaskCompletionSource<string?>> node)
    {
        lock (_gate)
        {
            // Only a waiter still queued can give up; one already handed the turn keeps it (and releases it later).
            if (node.List is null)
                return;
            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled();
    }

    private void Exit()
    {
        TaskCompletionSource<string?>? next = null;
        lock (_gate)
        {
            if (--_depth > 0)
                return;
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
                _holderReentrancyId = (string?)next.Task.AsyncState;
                _depth = 1;
            }
            else
            {
                _held = false;
                _holderReentrancyId = null;
            }
        }

        next?.TrySetResult(null);
    }

    private sealed class Turn(ActorTurnLock owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                owner.Exit();
        }
    }
}
