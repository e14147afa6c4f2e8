using System.Text.RegularExpressions;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.Extensions.Options;

namespace Web.SignIn;

/// <summary>
/// The development token issuer for local runs and browser tests: <c>POST /dev/token {"user":"alice"}</c> returns a
/// bearer token the services accept because they share <c>Auth:DevSigningKey</c>. It exists only when that key is
/// configured, which production never does (the validator makes Authority and the key exclusive).
/// </summary>
public static partial class DevTokenEndpoints
{
    public const string AdminUser = "admin";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static bool IsEnabled(AuthOptions auth) => !string.IsNullOrWhiteSpace(auth.DevSigningKey);

    public static WebApplication MapDevTokenIssuer(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!IsEnabled(auth))
            return app;

        var issuer = new DevTokenIssuer(auth.DevSigningKey!, auth.DevIssuer, auth.Audience);
        app.MapPost("/dev/token", (DevTokenRequest request) => Issue(issuer, request))
            .WithTags("development")
            .WithName("IssueDevelopmentToken")
            .WithSummary("A development bearer token for a demo customer, or for 'admin' (role admin). Local runs only.")
            .Produces<DevTokenResponse>()
            .ProducesDefaultProblems()
            .RequireRateLimiting(Web.Edge.EdgeRateLimiting.PolicyName);
        return app;
    }

    private static IResult Issue(DevTokenIssuer issuer, DevTokenRequest request)
    {
        var user = request.User?.Trim().ToLowerInvariant();
        if (user is null || !UserPattern().IsMatch(user))
            return ApiProblems.Validation("user", "Required: 2-32 lower-case letters, digits or '-', starting with a letter.");

        string[] roles = user == AdminUser ? [Roles.Admin] : [];
        var name = char.ToUpperInvariant(user[0]) + user[1..];
        var token = issuer.Issue(user, name, roles, Lifetime);
        return TypedResults.Ok(new DevTokenResponse(token, "Bearer", (int)Lifetime.TotalSeconds, user, name, roles));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex UserPattern();
}

public sealed record DevTokenRequest(string? User);

public sealed record DevTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string User, string Name, string[] Roles);
