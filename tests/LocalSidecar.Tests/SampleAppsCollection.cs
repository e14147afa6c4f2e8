namespace LocalSidecar.Tests;

/// <summary>
/// Tests that run the two-app sample (app ids "front" and "back") on the run-wide Redis go one at a time: two "back"
/// apps on one Redis are replicas of one app to Dapr (one consumer group per app id), so in parallel each would
/// receive some of the other's events.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SampleAppsCollection
{
    public const string Name = "two-app sample on the shared Redis";
}
