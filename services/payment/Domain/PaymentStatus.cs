namespace Payment.Domain;

/// <summary>Where the one payment of an order stands. Every status is final except <see cref="Captured"/> → <see cref="Refunded"/>.</summary>
public enum PaymentStatus
{
    /// <summary>The money was taken.</summary>
    Captured,

    /// <summary>The provider refused the charge: nothing was taken.</summary>
    Declined,

    /// <summary>Taken, then given back once.</summary>
    Refunded,

    /// <summary>The order closed before its payment request arrived: a later request charges nothing.</summary>
    Voided,
}

/// <summary>A money movement; at most one of each kind per order (a unique key in SQL).</summary>
public enum TransactionKind
{
    Capture,
    Refund,
}
