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

internal sealed class InternalCallerHandler(IOptions<AuthOptions> options, IConfiguration configuration)
    : AuthorizationHandler<InternalCallerRequirement>
{
    public const string CallerHeader = "dapr-caller-app-id";
    public const string AppTokenHeader = "dapr-api-token";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, InternalCallerRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
            return Task.CompletedTask;

        var caller = http.Request.Headers[CallerHeader].ToString();
        if (caller.Length == 0 || !options.Value.InternalCallers.Contains(caller, StringComparer.Ordinal))
            return Task.CompletedTask;

        var expectedToken = configuration["APP_API_TOKEN"];
        if (!string.IsNullOrEmpty(expectedToken) && !TokensMatch(expectedToken, http.Request.Headers[AppTokenHeader].ToString()))
            return Task.CompletedTask;

        context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private static bool TokensMatch(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
