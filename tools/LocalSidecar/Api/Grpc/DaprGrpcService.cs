using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api.Grpc;

/// <summary>The gRPC handlers; one partial file per building block (State, Lock, PubSub).</summary>
public sealed partial class DaprGrpcService(IServiceProvider services, IHostApplicationLifetime lifetime) : DaprServiceBase
{
    private static readonly Empty EmptyResult = new();

    /// <summary>Runs a handler and turns a <see cref="DaprError"/> into daprd's gRPC status.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler();
        }
        catch (DaprError error)
        {
            throw error.ToRpcException();
        }
    }

    public override Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context)
    {
        var model = services.GetRequiredService<MetadataModel>();
        var response = new GetMetadataResponse { Id = model.AppId, RuntimeVersion = MetadataModel.RuntimeVersion };
        foreach (var (type, count) in model.ActiveActors())
            response.ActorRuntime = AddActor(response.ActorRuntime, type, count);
        foreach (var component in model.Components)
        {
            var registered = new RegisteredComponents { Name = component.Name, Type = component.Type, Version = component.Version };
            registered.Capabilities.AddRange(MetadataModel.Capabilities(component));
            response.RegisteredComponents.Add(registered);
        }

        foreach (var (key, value) in model.ExtendedWithDefaults())
            response.ExtendedMetadata[key] = value;
        foreach (var s in model.Subscriptions())
        {
            var subscription = new PubsubSubscription { PubsubName = s.PubsubName, Topic = s.Topic, DeadLetterTopic = s.DeadLetterTopic ?? "" };
            foreach (var (k, v) in s.Metadata)
                subscription.Metadata[k] = v;
            subscription.Rules = new PubsubSubscriptionRules();
            foreach (var (match, path) in s.Rules)
                subscription.Rules.Rules.Add(new PubsubSubscriptionRule { Match = match ?? "", Path = path });
            response.Subscriptions.Add(subscription);
        }

        return Task.FromResult(response);
    }

    private static ActorRuntime AddActor(ActorRuntime? runtime, string type, int count)
    {
        runtime ??= new ActorRuntime { RuntimeStatus = ActorRuntime.Types.ActorRuntimeStatus.Running, HostReady = true };
        runtime.ActiveActors.Add(new ActiveActorsCount { Type = type, Count = count });
        return runtime;
    }

    public override Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext context)
    {
        services.GetRequiredService<MetadataModel>().Extended[request.Key] = request.Value;
        return Task.FromResult(EmptyResult);
    }

    public override Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        // Answer first, then stop: daprd also acknowledges before it tears down.
        _ = Task.Run(async () =>
        {
            await Task.Delay(100);
            lifetime.StopApplication();
        });
        return Task.FromResult(EmptyResult);
    }
}
