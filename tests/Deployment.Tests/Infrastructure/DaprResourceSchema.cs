using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// A small strict schema for the Dapr CRDs we ship (Component, Configuration, Resiliency): the fields we use, with
/// their shapes, and nothing unknown (a typo such as <c>secretKeyref</c> would otherwise be ignored by daprd).
/// Field sets follow dapr/dapr pkg/apis/{components,configuration,resiliency}.
/// </summary>
public static partial class DaprResourceSchema
{
    public static IReadOnlyList<string> Check(YamlResource resource)
    {
        var problems = new List<string>();
        void Problem(string message) => problems.Add($"{resource}: {message}");

        if (resource.ApiVersion != "dapr.io/v1alpha1") Problem($"apiVersion {resource.ApiVersion}, expected dapr.io/v1alpha1");
        if (!AppIdLike().IsMatch(resource.Name)) Problem($"metadata.name '{resource.Name}' is not a valid name");
        Only(resource.Node, "", ["apiVersion", "kind", "metadata", "spec", "auth", "scopes"], Problem);
        foreach (var scope in resource.Node.Sequence("scopes")?.Children ?? [])
            if (scope is not YamlScalarNode { Value.Length: > 0 }) Problem("scopes must be a list of app ids");

        var spec = resource.Node.Map("spec");
        if (spec is null) { Problem("spec is missing"); return problems; }
        switch (resource.Kind)
        {
            case "Component": CheckComponent(resource, spec, Problem); break;
            case "Configuration": CheckConfiguration(spec, Problem); break;
            case "Resiliency": CheckResiliency(spec, Problem); break;
            default: Problem($"kind {resource.Kind} is not checked by this schema"); break;
        }
        return problems;
    }

    private static void CheckComponent(YamlResource resource, YamlMappingNode spec, Action<string> problem)
    {
        Only(spec, "spec", ["type", "version", "metadata", "ignoreErrors", "initTimeout"], problem);
        Only(resource.Node.Map("auth"), "auth", ["secretStore"], problem);
        if (!ComponentType().IsMatch(spec.Scalar("type") ?? "")) problem($"spec.type '{spec.Scalar("type")}' is not <category>.<name>");
        if (spec.Scalar("version") != "v1") problem("spec.version must be v1");
        foreach (var item in spec.Sequence("metadata")?.Children ?? [])
        {
            if (item is not YamlMappingNode entry || entry.Scalar("name") is not { Length: > 0 } name)
            { problem("every spec.metadata item needs a name"); continue; }
            Only(entry, $"metadata {name}", ["name", "value", "secretKeyRef", "envRef"], problem);
            var sources = new[] { "value", "secretKeyRef", "envRef" }.Count(k => entry.Children.ContainsKey(new YamlScalarNode(k)));
            if (sources != 1) problem($"metadata {name} needs exactly one of value, secretKeyRef, envRef");
            if (entry.Map("secretKeyRef") is { } secretRef)
            {
                Only(secretRef, $"metadata {name}.secretKeyRef", ["name", "key"], problem);
                if (secretRef.Scalar("name") is not { Length: > 0 }) problem($"metadata {name}.secretKeyRef.name is required");
                if (resource.Node.Scalar("auth.secretStore") is null)
                    problem($"metadata {name} uses secretKeyRef but auth.secretStore is not set (Kubernetes secrets would be used)");
            }
            if (entry.Children.ContainsKey(new YamlScalarNode("value")) && entry.Children[new YamlScalarNode("value")] is not YamlScalarNode)
                problem($"metadata {name}.value must be a scalar");
        }
    }

    private static void CheckConfiguration(YamlMappingNode spec, Action<string> problem)
    {
        Only(spec, "spec", ["tracing", "metric", "mtls", "logging", "secrets", "features", "accessControl", "api", "nameResolution"], problem);
        var tracing = spec.Map("tracing");
        Only(tracing, "spec.tracing", ["samplingRate", "otel", "zipkin", "stdout"], problem);
        if (tracing?.Scalar("samplingRate") is { } rate
            && !(double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1))
            problem($"spec.tracing.samplingRate '{rate}' must be a number from 0 to 1");
        Only(tracing?.Map("otel"), "spec.tracing.otel", ["endpointAddress", "isSecure", "protocol"], problem);
        if (tracing?.Map("otel") is { } otel && otel.Scalar("protocol") is not ("grpc" or "http"))
            problem("spec.tracing.otel.protocol must be grpc or http");
        Only(spec.Map("mtls"), "spec.mtls", ["enabled", "workloadCertTTL", "allowedClockSkew", "sentryAddress", "controlPlaneTrustDomain"], problem);
        foreach (var duration in new[] { "mtls.workloadCertTTL", "mtls.allowedClockSkew" })
            if (spec.Scalar(duration) is { } d && !GoDuration().IsMatch(d)) problem($"spec.{duration} '{d}' is not a duration");
        Only(spec.Map("logging"), "spec.logging", ["apiLogging"], problem);
        Only(spec.Map("logging.apiLogging"), "spec.logging.apiLogging", ["enabled", "obfuscateURLs", "omitHealthChecks"], problem);
        foreach (var scope in spec.Sequence("secrets.scopes")?.Children.OfType<YamlMappingNode>() ?? [])
            Only(scope, "spec.secrets.scopes[]", ["storeName", "defaultAccess", "allowedSecrets", "deniedSecrets"], problem);
        CheckAccessControl(spec.Map("accessControl"), problem);
    }

    /// <summary>pkg/config AccessControlSpec / AppPolicySpec / AppOperation; daprd compares verbs as written (upper case).</summary>
    private static void CheckAccessControl(YamlMappingNode? accessControl, Action<string> problem)
    {
        if (accessControl is null) return;
        Only(accessControl, "spec.accessControl", ["defaultAction", "trustDomain", "policies"], problem);
        CheckAction(accessControl.Scalar("defaultAction"), "spec.accessControl.defaultAction", problem);
        foreach (var policy in accessControl.Sequence("policies")?.Children.OfType<YamlMappingNode>() ?? [])
        {
            var where = $"spec.accessControl.policies[{policy.Scalar("appId")}]";
            Only(policy, where, ["appId", "defaultAction", "trustDomain", "namespace", "operations"], problem);
            foreach (var required in new[] { "appId", "trustDomain", "namespace" })
                if (policy.Scalar(required) is not { Length: > 0 }) problem($"{where}: {required} is required (daprd refuses the configuration)");
            CheckAction(policy.Scalar("defaultAction"), $"{where}.defaultAction", problem);
            foreach (var operation in policy.Sequence("operations")?.Children.OfType<YamlMappingNode>() ?? [])
            {
                Only(operation, $"{where}.operations[]", ["name", "httpVerb", "action"], problem);
                if (operation.Scalar("name") is not { Length: > 0 }) problem($"{where}: every operation needs a name");
                CheckAction(operation.Scalar("action") ?? "", $"{where}.operations[{operation.Scalar("name")}].action", problem);
                foreach (var verb in operation.Strings("httpVerb"))
                    if (verb is not ("GET" or "POST" or "PUT" or "DELETE" or "PATCH" or "HEAD" or "OPTIONS" or "CONNECT" or "TRACE" or "*"))
                        problem($"{where}: httpVerb '{verb}' is not an upper-case HTTP verb or *");
            }
        }
    }

    private static void CheckAction(string? action, string where, Action<string> problem)
    {
        if (action is not (null or "allow" or "deny")) problem($"{where} must be allow or deny, not '{action}'");
    }

    private static void CheckResiliency(YamlMappingNode spec, Action<string> problem)
    {
        Only(spec, "spec", ["policies", "targets"], problem);
        var policies = spec.Map("policies");
        Only(policies, "spec.policies", ["timeouts", "retries", "circuitBreakers"], problem);
        foreach (var (name, value) in policies?.Map("timeouts").Entries() ?? [])
            if ((value as YamlScalarNode)?.Value is not { } d || !GoDuration().IsMatch(d)) problem($"timeout {name} is not a duration");
        foreach (var (name, value) in policies?.Map("retries").Entries() ?? [])
        {
            var retry = (YamlMappingNode)value;
            Only(retry, $"retry {name}", ["policy", "duration", "initialInterval", "maxInterval", "maxRetries", "matching"], problem);
            if (retry.Scalar("policy") is not ("constant" or "exponential")) problem($"retry {name}: policy must be constant or exponential");
            foreach (var field in new[] { "duration", "initialInterval", "maxInterval" })
                if (retry.Scalar(field) is { } d && !GoDuration().IsMatch(d)) problem($"retry {name}.{field} '{d}' is not a duration");
            Only(retry.Map("matching"), $"retry {name}.matching", ["httpStatusCodes", "gRPCStatusCodes"], problem);
        }
        foreach (var (name, value) in policies?.Map("circuitBreakers").Entries() ?? [])
        {
            var breaker = (YamlMappingNode)value;
            Only(breaker, $"circuitBreaker {name}", ["maxRequests", "interval", "timeout", "trip"], problem);
            if (breaker.Scalar("trip") is not { Length: > 0 }) problem($"circuitBreaker {name}: trip is required");
        }

        var targets = spec.Map("targets");
        Only(targets, "spec.targets", ["apps", "actors", "components"], problem);
        foreach (var (app, value) in targets?.Map("apps").Entries() ?? [])
            CheckPolicyRefs((YamlMappingNode)value, $"apps.{app}", policies, problem);
        foreach (var (actor, value) in targets?.Map("actors").Entries() ?? [])
            CheckPolicyRefs((YamlMappingNode)value, $"actors.{actor}", policies, problem, ["circuitBreakerScope", "circuitBreakerCacheSize"]);
        foreach (var (component, value) in targets?.Map("components").Entries() ?? [])
        {
            Only((YamlMappingNode)value, $"components.{component}", ["inbound", "outbound"], problem);
            foreach (var (direction, refs) in ((YamlMappingNode)value).Entries())
                CheckPolicyRefs((YamlMappingNode)refs, $"components.{component}.{direction}", policies, problem);
        }
    }

    /// <summary>Every policy a target names must be defined under spec.policies (daprd refuses the file otherwise).</summary>
    private static void CheckPolicyRefs(YamlMappingNode target, string where, YamlMappingNode? policies, Action<string> problem,
        string[]? extra = null)
    {
        Only(target, where, ["timeout", "retry", "circuitBreaker", .. extra ?? []], problem);
        foreach (var (field, section) in new[] { ("timeout", "timeouts"), ("retry", "retries"), ("circuitBreaker", "circuitBreakers") })
            if (target.Scalar(field) is { } name && policies?.Map(section)?.Keys().Contains(name) != true)
                problem($"{where}.{field} names '{name}', which spec.policies.{section} does not define");
    }

    private static void Only(YamlMappingNode? node, string where, string[] allowed, Action<string> problem)
    {
        foreach (var key in node.Keys().Where(k => !allowed.Contains(k)))
            problem($"{(where.Length == 0 ? "" : where + ": ")}unknown field '{key}'");
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex AppIdLike();

    [GeneratedRegex(@"^(state|pubsub|lock|secretstores|bindings|configuration|middleware|workflow|conversation|cryptography)\.[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex ComponentType();

    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}
