using System.Security.Claims;
using DaprReservations.BuildingBlocks.Security;
using Reservation.Domain;

namespace Reservation.Api;

/// <summary>
/// Whose holds the current request may see: admins and an internal caller acting without a user's token (the ordering
/// service, which checks ownership itself) see all; a request carrying a customer's token sees only that customer's
/// holds, whichever app forwarded it.
/// </summary>
public sealed class HoldAccess(IHttpContextAccessor accessor, InternalCallers internalCallers)
{
    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No request.");

    private ClaimsPrincipal User => Http.User;

    public bool ActsForAnyone =>
        User.IsAdmin() || (User.Identity?.IsAuthenticated != true && internalCallers.IsVerified(Http));

    public bool MaySee(Hold hold) =>
        ActsForAnyone || (User.FindFirstValue(ClaimNames.Subject) is { } customer && hold.CustomerId == customer);
}
