namespace LocalSidecar.Components;

/// <summary>One <c>kind: Component</c> document, as daprd reads it from a resources folder.</summary>
public sealed record ComponentSpec(
    string Name,
    string Type,
    string Version,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string SourceFile)
{
    /// <summary>The category before the first dot: state, pubsub, lock, secretstores, ...</summary>
    public string Category => Type.Split('.', 2)[0];

    public string? Get(string name) => Metadata.TryGetValue(name, out var v) ? v : null;

    public bool GetBool(string name) =>
        Get(name) is { } v && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v is "1" or "y" or "yes" or "on");

    public int? GetInt(string name) => int.TryParse(Get(name), out var v) ? v : null;

    public bool AppliesTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);
}

/// <summary>A problem found while loading resources: which file, and what is wrong with it.</summary>
public sealed record ComponentProblem(string File, string Message, bool Fatal)
{
    public override string ToString() => $"{File}: {Message}";
}

public sealed record ComponentLoadResult(IReadOnlyList<ComponentSpec> Components, IReadOnlyList<ComponentProblem> Problems)
{
    public IEnumerable<ComponentProblem> Fatal => Problems.Where(p => p.Fatal);
}
