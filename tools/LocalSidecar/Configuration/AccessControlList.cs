namespace LocalSidecar.Configuration;

/// <summary>A caller's SPIFFE identity as daprd reads it from the mTLS certificate: spiffe://{trustDomain}/ns/{namespace}/{appId}.</summary>
public sealed record SpiffeId(string TrustDomain, string Namespace, string AppId)
{
    public string Url => $"spiffe://{TrustDomain}/ns/{Namespace}/{AppId}";

    public override string ToString() => Url;
}

/// <summary>One app policy after parsing: daprd's AccessControlListPolicySpec.</summary>
public sealed record AppPolicy(string AppId, string DefaultAction, string TrustDomain, string Namespace, OperationTrie Operations);

/// <summary>The outcome of one decision, with which default decided it when no operation matched ("global" or "app").</summary>
public readonly record struct AccessDecision(bool Allowed, string ActionPolicy);

/// <summary>
/// daprd's access control list, ported from dapr/dapr pkg/acl/acl.go (v1.16): <see cref="Parse"/> is
/// ParseAccessControlSpec, <see cref="Decide"/> is isOperationAllowedByAccessControlPolicy. Evaluated on the CALLEE's
/// sidecar for every service invocation from another app (not self-invocation, actors or pub/sub deliveries).
/// </summary>
public sealed class AccessControlList
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string DefaultTrustDomain = "public";
    public const string DefaultNamespace = "default";

    /// <summary>The verb daprd records for a call that carries none (gRPC apps).</summary>
    public const string NoVerb = "NONE";

    private AccessControlList(string defaultAction, string trustDomain, Dictionary<string, AppPolicy> policies)
    {
        DefaultAction = defaultAction;
        TrustDomain = trustDomain;
        Policies = policies;
    }

    public string DefaultAction { get; }
    public string TrustDomain { get; }

    /// <summary>Keyed "appId||namespace": one app id may have a policy per namespace.</summary>
    public IReadOnlyDictionary<string, AppPolicy> Policies { get; }

    /// <summary>
    /// Null when no access control is specified (everything is allowed). Throws <see cref="FormatException"/> with
    /// daprd's message when a policy lacks its trust domain, namespace or app id (daprd then refuses to start).
    /// </summary>
    public static AccessControlList? Parse(AccessControlSpec? spec, bool isHttp)
    {
        if (spec is null || (spec.TrustDomain.Length == 0 && spec.DefaultAction.Length == 0 && (spec.Policies?.Count ?? 0) == 0))
            return null;

        var defaultAction = spec.DefaultAction.ToLowerInvariant();
        if (spec.DefaultAction.Length == 0)
        {
            // Policies but no global action: daprd picks the safer one. (An explicitly empty list means allow.)
            defaultAction = spec.Policies is null || spec.Policies.Count > 0 ? Deny : Allow;
        }

        var trustDomain = spec.TrustDomain.Length == 0 ? DefaultTrustDomain : spec.TrustDomain;
        var missingTrustDomain = new List<string>();
        var missingNamespace = new List<string>();
        var missingAppName = false;
        var policies = new Dictionary<string, AppPolicy>(StringComparer.Ordinal);
        foreach (var policy in spec.Policies ?? [])
        {
            var invalid = false;
            if (policy.AppId.Length == 0)
                missingAppName = true;
            if (policy.TrustDomain.Length == 0)
            {
                missingTrustDomain.Add(policy.AppId);
                invalid = true;
            }

            if (policy.Namespace.Length == 0)
            {
                missingNamespace.Add(policy.AppId);
                invalid = true;
            }

            if (invalid || missingAppName)
                continue;

            var trie = new OperationTrie();
            foreach (var operation in policy.Operations)
            {
                var name = operation.Name.StartsWith('/') ? operation.Name : "/" + operation.Name;
                if (isHttp)
                    name = name.ToLowerInvariant();
                var verbs = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var verb in operation.HttpVerbs)
                    verbs[verb] = operation.Action; // verbs are matched case-sensitively, as written
                trie.Put(name, new OperationActions(name, verbs, operation.Action));
            }

            policies[Key(policy.AppId, policy.Namespace)] =
                new AppPolicy(policy.AppId, policy.DefaultAction, policy.TrustDomain, policy.Namespace, trie);
        }

        if (missingTrustDomain.Count > 0 || missingNamespace.Count > 0 || missingAppName)
        {
            throw new FormatException(
                $"invalid access control spec. missing trustdomain for apps: [{string.Join(' ', missingTrustDomain)}], " +
                $"missing namespace for apps: [{string.Join(' ', missingNamespace)}], " +
                $"missing app name on at least one of the app policies: {(missingAppName ? "true" : "false")}");
        }

        return new AccessControlList(defaultAction, trustDomain, policies);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may invoke <paramref name="operation"/> (the normalized method) with
    /// <paramref name="verb"/> ("GET", ... or <see cref="NoVerb"/>). A null list allows everything; a caller without
    /// an identity, or whose app id/namespace has no policy, or whose trust domain or namespace differs from its
    /// policy's, gets the global default action. Otherwise the app's default action (if set) replaces it, and an
    /// operation that matches decides by its verb entry, then its "*" entry (HTTP), or by its action (no verb).
    /// </summary>
    public static AccessDecision Decide(AccessControlList? acl, SpiffeId? caller, string operation, string verb, bool isHttp)
    {
        if (acl is null)
            return new AccessDecision(true, "");

        var action = acl.DefaultAction;
        var actionPolicy = "global";
        if (caller is null)
            return new AccessDecision(IsAllowed(action), actionPolicy);
        if (!acl.Policies.TryGetValue(Key(caller.AppId, caller.Namespace), out var policy)
            || policy.TrustDomain != caller.TrustDomain
            || policy.Namespace != caller.Namespace)
            return new AccessDecision(IsAllowed(action), actionPolicy);

        if (policy.DefaultAction.Length > 0)
        {
            action = policy.DefaultAction;
            actionPolicy = "app";
        }

        if (!operation.StartsWith('/'))
            operation = "/" + operation;
        if (isHttp)
            operation = operation.ToLowerInvariant();

        var matched = policy.Operations.Search(operation);
        if (matched is not null)
        {
            if (!isHttp)
                action = matched.OperationAction;
            else if (verb == NoVerb)
                action = policy.DefaultAction; // daprd: an HTTP call without a verb falls to the app's default ("" = deny)
            else if (matched.VerbAction.TryGetValue(verb, out var verbAction) || matched.VerbAction.TryGetValue("*", out verbAction))
                action = verbAction;
        }

        return new AccessDecision(IsAllowed(action), actionPolicy);
    }

    /// <summary>daprd's denial text (pkg/acl/acl.go ApplyAccessControlPolicies); an unknown caller prints an empty id.</summary>
    public static string DenialMessage(SpiffeId? caller, string operation, string verb) =>
        $"access control policy has denied access to id: {caller?.Url ?? ""} operation: {operation} verb: {verb}";

    private static bool IsAllowed(string action) => string.Equals(action, Allow, StringComparison.OrdinalIgnoreCase);

    private static string Key(string appId, string @namespace) => appId + "||" + @namespace;
}
