using LocalSidecar.Configuration;
using LocalSidecar.Hosting;

namespace LocalSidecar.Invocation;

/// <summary>
/// One sidecar's side of service invocation security: its own identity when it calls another app (the SPIFFE id
/// daprd's mTLS certificate carries: trust domain from this app's accessControl.trustDomain, "public" by default;
/// namespace "default" unless set; the app id), and the access control list it applies, as the callee, to calls
/// from other apps. Every sidecar of the local cluster is trusted to present its own identity, as sentry-issued
/// certificates make every daprd do on AKS.
/// </summary>
public sealed class InvocationPolicy
{
    public InvocationPolicy(SidecarOptions options, DaprConfiguration configuration)
    {
        Acl = AccessControlList.Parse(configuration.AccessControl, isHttp: true);
        var trustDomain = configuration.AccessControl?.TrustDomain is { Length: > 0 } td ? td : AccessControlList.DefaultTrustDomain;
        var @namespace = string.IsNullOrEmpty(options.Namespace) ? AccessControlList.DefaultNamespace : options.Namespace;
        Identity = new SpiffeId(trustDomain, @namespace, options.AppId);
    }

    /// <summary>Null when this sidecar's configuration specifies no access control (every call is allowed).</summary>
    public AccessControlList? Acl { get; }

    public SpiffeId Identity { get; }

    /// <summary>Null when <paramref name="caller"/> may invoke <paramref name="method"/>; daprd's denial text otherwise.</summary>
    public string? Check(SpiffeId? caller, string method, string verb) =>
        AccessControlList.Decide(Acl, caller, method, verb, isHttp: true).Allowed
            ? null
            : AccessControlList.DenialMessage(caller, method, verb);
}
