using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>
/// A token cannot be checked while the authority's discovery document or keys cannot be fetched. That is an outage of
/// the identity provider, not a bad token: answer 503 with Retry-After instead of a 401 that would send a signed-in
/// person back to the login page. The handler validates without the configuration it could not get (the failure then
/// reads "issuer is invalid"), so a refused token is followed by one more look at the configuration.
/// </summary>
internal static class AuthorityOutage
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static async Task AnswerUnavailableAsync(JwtBearerChallengeContext context)
    {
        if (context.AuthenticateFailure is null || await IsAvailableAsync(context))
            return;

        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Sign-in provider unreachable",
                Detail = "The access token cannot be checked while the identity provider's keys cannot be fetched; try again shortly.",
            },
        });
    }

    private static async Task<bool> IsAvailableAsync(JwtBearerChallengeContext context) =>
        context.Options.ConfigurationManager is not { } manager
        || await AuthorityConfiguration.TryGetAsync(manager, context.HttpContext.RequestAborted) is not null;
}
