using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// Internal (saga) endpoints answer only calls that came through a Dapr sidecar from an allowed app id. The sidecar
/// sets <c>dapr-caller-app-id</c> from the caller's mTLS identity; when <c>APP_API_TOKEN</c> is configured the
/// sidecar also proves itself with <c>dapr-api-token</c>, so nothing that reaches the app port directly can forge
/// the header. A user token alone never opens these endpoints: a browser's request arrives from the web app.
/// </summary>
public sealed class InternalCallerRequirement : IAuthorizationRequirement;

/// <summary>A signed-in customer, or an internal caller (which then acts for any customer).</summary>
public sealed class CustomerOrInternalRequirement : IAuthorizationRequirement;

/// <summary>Tells whether a request came through Dapr from an app id in <c>Auth:InternalCallers</c>.</summary>
public sealed class InternalCallers(IOptions<AuthOptions> options, IConfiguration configuration)
{
    public const string CallerHeader = "dapr-caller-app-id";
    public const string AppTokenHeader = "dapr-api-token";

    public bool IsVerified(HttpContext http)
    {
        var caller = http.Request.Headers[CallerHeader].ToString();
        if (caller.Length == 0 || !options.Value.InternalCallers.Contains(caller, StringComparer.Ordinal))
            return false;

        var expectedToken = configuration["APP_API_TOKEN"];
        return string.IsNullOrEmpty(expectedToken) || TokensMatch(expectedToken, http.Request.Headers[AppTokenHeader].ToString());
    }

    private static bool TokensMatch(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}

internal sealed class InternalCallerHandler(InternalCallers callers) : IAuthorizationHandler
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
                CustomerOrInternalRequirement => callers.IsVerified(http)
                    || context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(ClaimNames.Subject) is not null,
                _ => false,
            };
            if (met)
                context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
