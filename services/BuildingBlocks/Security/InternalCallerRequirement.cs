using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// Internal (saga) endpoints answer only calls that came through a Dapr sidecar from an allowed app id. The sidecar
/// sets <c>dapr-caller-app-id</c> from the caller's mTLS identity and proves itself with the app token
/// (<see cref="AppApiToken"/>), so nothing that reaches the app port directly can forge the header; without a
/// configured token nothing is internal. A user token alone never opens these endpoints: a browser's request arrives
/// from the web app, and the edge forwards no internal route.
/// </summary>
public sealed class InternalCallerRequirement : IAuthorizationRequirement;

/// <summary>A signed-in customer, or an internal caller (which then acts for any customer).</summary>
public sealed class CustomerOrInternalRequirement : IAuthorizationRequirement;

/// <summary>
/// A person's token for this API: a subject and the API scope (<c>Auth:Scope</c>). The scope keeps out tokens the same
/// authority issued for something else, and app-only tokens, which carry no delegated scope.
/// </summary>
public sealed class ApiUserRequirement : IAuthorizationRequirement;

/// <summary>Tells whether a request came through Dapr from an app id in <c>Auth:InternalCallers</c>.</summary>
public sealed class InternalCallers(IOptions<AuthOptions> options, AppApiToken appToken)
{
    public const string CallerHeader = "dapr-caller-app-id";

    public bool IsVerified(HttpContext http)
    {
        var caller = http.Request.Headers[CallerHeader].ToString();
        return caller.Length > 0
            && options.Value.InternalCallers.Contains(caller, StringComparer.Ordinal)
            && appToken.IsPresentedBy(http.Request);
    }
}

internal sealed class InternalCallerHandler(InternalCallers callers, IOptions<AuthOptions> auth) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http)
            return Task.CompletedTask;

        foreach (var requirement in context.PendingRequirements.ToList())
        {
            var met = requirement switch
            {
                InternalCallerRequirement => callers.IsVerified(http),
                CustomerOrInternalRequirement => callers.IsVerified(http) || context.User.IsApiUser(auth.Value.Scope),
                ApiUserRequirement => context.User.IsApiUser(auth.Value.Scope),
                _ => false,
            };
            if (met)
                context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
