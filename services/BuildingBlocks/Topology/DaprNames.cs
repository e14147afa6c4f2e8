namespace DaprReservations.BuildingBlocks.Topology;

/// <summary>
/// The Dapr app ids. Each equals its service's folder under services/ and the name used in dapr.yaml, the
/// Kubernetes manifests and the component scopes; deployment tests cross-check all of them against these constants.
/// </summary>
public static class AppIds
{
    public const string Web = "web";
    public const string Catalog = "catalog";
    public const string Reservation = "reservation";
    public const string Ordering = "ordering";
    public const string Payment = "payment";

    public static readonly IReadOnlyList<string> All = [Web, Catalog, Reservation, Ordering, Payment];
}

/// <summary>Dapr component names: one name per role, whatever the environment's component type.</summary>
public static class Components
{
    /// <summary>Hot data (availability, holds) with first-write-wins ETags; also the actor state store.</summary>
    public const string StateStore = "statestore";

    /// <summary>Cache-aside reads with ttlInSeconds.</summary>
    public const string Cache = "cache";

    /// <summary>Distributed lock (lock.redis, keyPrefix "name" so every app shares one lock namespace).</summary>
    public const string LockStore = "lockstore";

    /// <summary>web's sign-in sessions and its Data Protection key ring (scoped to web): sign-out deletes a session.</summary>
    public const string SessionStore = "sessionstore";

    /// <summary>Events: pubsub.redis locally, pubsub.azure.servicebus.topics on Azure.</summary>
    public const string PubSub = "pubsub";
}

/// <summary>Pub/sub topic names.</summary>
public static class Topics
{
    public const string SlotChanged = "catalog.slot-changed";
    public const string HoldPlaced = "reservation.hold-placed";
    public const string HoldReleased = "reservation.hold-released";
    public const string HoldConfirmed = "reservation.hold-confirmed";

    /// <summary>ordering → payment: charge an order.</summary>
    public const string PaymentRequested = "payment.requested";

    /// <summary>payment → ordering.</summary>
    public const string PaymentSucceeded = "payment.succeeded";

    /// <summary>payment → ordering.</summary>
    public const string PaymentFailed = "payment.failed";

    /// <summary>payment → anyone interested (audit, notifications).</summary>
    public const string PaymentRefunded = "payment.refunded";

    /// <summary>ordering: every hold of the order is a booking.</summary>
    public const string OrderConfirmed = "order.confirmed";

    /// <summary>ordering: cancelled by the customer or by compensation. Reservation releases or revokes the holds; payment refunds.</summary>
    public const string OrderCancelled = "order.cancelled";

    /// <summary>ordering: a hold expired before the order was confirmed. Same compensation as cancelled.</summary>
    public const string OrderExpired = "order.expired";

    /// <summary>ordering: payment failed. Reservation releases the holds.</summary>
    public const string OrderFailed = "order.failed";

    public static readonly IReadOnlyList<string> All =
    [
        SlotChanged, HoldPlaced, HoldReleased, HoldConfirmed,
        PaymentRequested, PaymentSucceeded, PaymentFailed, PaymentRefunded,
        OrderConfirmed, OrderCancelled, OrderExpired, OrderFailed,
    ];
}
