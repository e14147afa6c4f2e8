using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>Authorization policy names, one per kind of caller.</summary>
public static class Policies
{
    /// <summary>Any signed-in person; endpoints then scope data to <see cref="ClaimsPrincipalExtensions.CustomerId"/>.</summary>
    public const string Customer = "customer";

    /// <summary>Catalog writes, reconciliation and other operator actions.</summary>
    public const string Admin = "admin";

    /// <summary>Service-to-service saga steps: a call through Dapr from an app id in <c>Auth:InternalCallers</c>.</summary>
    public const string Internal = "internal";

    /// <summary>A customer (the endpoint scopes data to them) or an internal caller acting for any customer.</summary>
    public const string CustomerOrInternal = "customer-or-internal";
}

public static class AuthenticationExtensions
{
    /// <summary>
    /// JWT bearer for every service, trusting the keys of <c>Auth:Authority</c> (Entra ID on Azure, tools/DevIdentity
    /// locally: one code path). Unauthenticated → 401 ProblemDetails, authenticated but not allowed → 403, authority
    /// unreachable while its keys are unknown → 503 + Retry-After (an outage, not the caller's fault).
    /// </summary>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));

        builder.Services.TryAddSingleton<AppApiToken>();
        builder.Services.TryAddSingleton<InternalCallers>();
        builder.Services.AddSingleton<IAuthorizationHandler, InternalCallerHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Customer, policy => policy.RequireAuthenticatedUser().AddRequirements(new ApiUserRequirement()))
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().AddRequirements(new ApiUserRequirement()).RequireRole(Roles.Admin))
            .AddPolicy(Policies.Internal, policy => policy.AddRequirements(new InternalCallerRequirement()))
            .AddPolicy(Policies.CustomerOrInternal, policy => policy.AddRequirements(new CustomerOrInternalRequirement()));
        return builder;
    }

    /// <summary>After <c>MapDefaultEndpoints()</c>: health and Swagger stay anonymous, endpoints opt in by policy.</summary>
    public static WebApplication UseDefaultAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Keep claims as issued ("sub", "roles", "scp"), the same from Entra ID and the local provider.
        jwt.MapInboundClaims = false;
        jwt.Authority = auth.Authority;
        jwt.Audience = auth.Audience;
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        jwt.TokenValidationParameters.NameClaimType = ClaimNames.Name;
        jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        // Both providers sign with RSA keys from their JWKS: an HMAC or unsigned token is refused before any key lookup.
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
        jwt.Events = new JwtBearerEvents { OnChallenge = AuthorityOutage.AnswerUnavailableAsync };
    }
}
