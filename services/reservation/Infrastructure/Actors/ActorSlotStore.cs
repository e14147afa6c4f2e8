using System.Globalization;
using Dapr.Actors;
using Dapr.Actors.Client;
using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.State;

namespace Reservation.Infrastructure.Actors;

/// <summary>The actor strategy: every command goes to the slot's actor, whose turn is the only protection needed.</summary>
public sealed class ActorSlotStore(IActorProxyFactory proxies, SlotStoreStats stats) : ISlotStore
{
    public const string ActorType = nameof(SlotActor);

    public async Task<Decision<T>> UpdateAsync<T>(string slotId, SlotCommand<T> command, CancellationToken cancellationToken)
    {
        stats.Batch(1);
        var reply = await Proxy(slotId).InvokeMethodAsync<SlotCommandRequest, SlotCommandReply>(
            nameof(ISlotActor.Execute), SlotWire.Pack(command), cancellationToken);
        if (!reply.Found)
            throw new SlotNotFoundException(slotId);
        stats.Write();
        var outcome = (T)SlotWire.Unpack(reply.OutcomeType!, reply.Outcome!.Value);
        return new Decision<T>(reply.State, outcome) { Expired = reply.Expired };
    }

    public async Task<(SlotState? State, string ETag)> GetAsync(string slotId, CancellationToken cancellationToken)
    {
        var reply = await Proxy(slotId).InvokeMethodAsync<SlotCommandReply>(nameof(ISlotActor.Read), cancellationToken);
        // The fencing token grows with every change: as good an ETag as the store's version.
        return (reply.State, reply.State?.FencingToken.ToString(CultureInfo.InvariantCulture) ?? "");
    }

    private ActorProxy Proxy(string slotId) => proxies.Create(new ActorId(slotId), ActorType);
}
