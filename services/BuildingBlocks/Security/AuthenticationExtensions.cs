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
    /// JWT bearer for every service: Entra ID when <c>Auth:Authority</c> is set, the development issuer's key when
    /// <c>Auth:DevSigningKey</c> is set (validated at start: exactly one of them). Unauthenticated → 401 ProblemDetails,
    /// authenticated but not allowed → 403.
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
            .AddPolicy(Policies.Customer, policy => policy.RequireAuthenticatedUser().RequireClaim(ClaimNames.Subject))
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
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
        // Keep claims as issued ("sub", "roles"), the same from Entra ID and the development issuer.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = ClaimNames.Name;
        jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);

        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            return;
        }

        if (string.IsNullOrWhiteSpace(auth.DevSigningKey))
            return; // the options validator fails the start with the reason

        jwt.TokenValidationParameters.ValidIssuer = auth.DevIssuer;
        jwt.TokenValidationParameters.IssuerSigningKey = DevTokenIssuer.KeyFrom(auth.DevSigningKey);
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
    }
}
