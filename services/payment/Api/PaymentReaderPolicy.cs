using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Authorization;

namespace Payment.Api;

/// <summary>
/// Who may read a payment: the saga's internal callers (ordering, through its sidecar, with no user token) or an
/// operator with the admin role. ASP.NET Core policies AND their requirements, so "either" is one requirement whose
/// handler asks for the admin role or for the shared internal policy.
/// </summary>
public static class PaymentReaderPolicy
{
    public const string Name = "payment-reader";

    public static AuthorizationBuilder AddPaymentReaderPolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(Name, policy => policy.AddRequirements(new InternalOrAdminRequirement()));
}

public sealed class InternalOrAdminRequirement : IAuthorizationRequirement;

internal sealed class InternalOrAdminHandler(IServiceProvider services) : AuthorizationHandler<InternalOrAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, InternalOrAdminRequirement requirement)
    {
        if (context.User.IsAdmin())
        {
            context.Succeed(requirement);
            return;
        }

        // Resolved per call: IAuthorizationService depends on every handler, this one included.
        var authorization = services.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(context.User, context.Resource, Policies.Internal)).Succeeded)
            context.Succeed(requirement);
    }
}
