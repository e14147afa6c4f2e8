using System.Text.Json;
using Dapr.Actors;
using DaprReservations.BuildingBlocks;
using Reservation.Domain;

namespace Reservation.Infrastructure.Actors;

/// <summary>The slot actor: one turn at a time per slot id, so decisions need no ETag retries and no lock.</summary>
public interface ISlotActor : IActor
{
    Task<SlotCommandReply> Execute(SlotCommandRequest request);

    Task<SlotCommandReply> Read();
}

/// <summary>A <see cref="SlotCommand{T}"/> on the wire: its type name and its JSON.</summary>
public sealed record SlotCommandRequest(string CommandType, JsonElement Command);

/// <summary>What the actor decided: the outcome (type name + JSON), the holds pruning expired, the state after.</summary>
public sealed record SlotCommandReply(bool Found, SlotState? State, string? OutcomeType, JsonElement? Outcome, IReadOnlyList<Hold> Expired);

internal static class SlotWire
{
    private static readonly JsonSerializerOptions Json = DaprReservationsJson.Options;

    public static SlotCommandRequest Pack<T>(SlotCommand<T> command) =>
        new(command.GetType().FullName!, JsonSerializer.SerializeToElement(command, command.GetType(), Json));

    public static JsonElement PackOutcome(object outcome) => JsonSerializer.SerializeToElement(outcome, outcome.GetType(), Json);

    public static object Unpack(string typeName, JsonElement json) =>
        JsonSerializer.Deserialize(json, Resolve(typeName), Json) ?? throw new InvalidOperationException($"Empty {typeName}.");

    // Only domain types travel: a type name from the wire never picks arbitrary code to instantiate.
    private static Type Resolve(string typeName) =>
        typeName.StartsWith("Reservation.Domain.", StringComparison.Ordinal) && typeof(SlotState).Assembly.GetType(typeName) is { } type
            ? type
            : throw new InvalidOperationException($"'{typeName}' is not a slot command or outcome.");
}
