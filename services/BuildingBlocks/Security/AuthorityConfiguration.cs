using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace DaprReservations.BuildingBlocks.Security;

/// <summary>The authority's discovery document, or null while it cannot be fetched: an outage, answered with 503.</summary>
public static class AuthorityConfiguration
{
    public static async Task<OpenIdConnectConfiguration?> TryGetAsync(
        IConfigurationManager<OpenIdConnectConfiguration> manager, CancellationToken cancellationToken)
    {
        try
        {
            return await manager.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null; // IDX20803: unable to obtain the configuration
        }
    }
}
