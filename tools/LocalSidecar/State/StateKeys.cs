using LocalSidecar.Api;
using LocalSidecar.Components;

namespace LocalSidecar.State;

/// <summary>daprd's key prefixing for state (dapr:pkg/components/state/state_config.go); components never see it.</summary>
public sealed class StateKeys
{
    public const string Separator = "||";
    private readonly string _prefix;

    private StateKeys(string prefix) => _prefix = prefix;

    /// <summary>Reads the component's keyPrefix (case-insensitive name, lower-cased value). A prefix with "||" fails the component.</summary>
    public static StateKeys For(ComponentSpec spec, string appId, string? ns)
    {
        var strategy = (spec.Get("keyPrefix") ?? "").ToLowerInvariant();
        if (strategy.Contains(Separator, StringComparison.Ordinal))
            throw new InvalidDataException($"input key/keyPrefix '{spec.Get("keyPrefix")}' can't contain '{Separator}'");
        var prefix = strategy switch
        {
            "" or "appid" => appId,
            "name" => spec.Name,
            "namespace" => string.IsNullOrEmpty(ns) ? appId : $"{ns}.{appId}",
            "none" => "",
            _ => strategy,
        };
        return new StateKeys(prefix);
    }

    /// <summary>The stored key for an API key; "||" in it is a 400 ERR_MALFORMED_REQUEST (DAPR_STATE_ILLEGAL_KEY).</summary>
    public string Stored(string key)
    {
        if (key.Contains(Separator, StringComparison.Ordinal))
            throw DaprError.Malformed($"input key/keyPrefix '{key}' can't contain '{Separator}'", "DAPR_STATE_ILLEGAL_KEY");
        return _prefix.Length == 0 ? key : _prefix + Separator + key;
    }
}
