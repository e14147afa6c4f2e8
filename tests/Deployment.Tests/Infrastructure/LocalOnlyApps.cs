namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// Apps of dapr.yaml that are not apps of the system: they run in local runs only, so they are not in
/// <c>AppIds.All</c>, services/README.md, Bicep or the AKS overlays. Named here, so a cross-check that leaves them out
/// does so on purpose, and a new app in dapr.yaml is still either a service or listed here.
/// </summary>
public static class LocalOnlyApps
{
    /// <summary>
    /// The local OpenID Connect provider (tools/DevIdentity). On Azure Entra ID signs users in (deploy/entra), with the
    /// same <c>Auth</c> and <c>SignIn</c> settings.
    /// </summary>
    public const string Identity = "identity";

    /// <summary>Its folder, app port, Dapr HTTP and gRPC ports (the next free row after services/README.md's table).</summary>
    public static readonly (string Folder, int App, int DaprHttp, int DaprGrpc) IdentityApp = ("tools/DevIdentity", 5105, 3505, 50015);

    public static readonly IReadOnlyList<string> All = [Identity];

    public static IReadOnlyDictionary<string, (string Folder, int App, int DaprHttp, int DaprGrpc)> Ports { get; } =
        new Dictionary<string, (string, int, int, int)> { [Identity] = IdentityApp };
}
