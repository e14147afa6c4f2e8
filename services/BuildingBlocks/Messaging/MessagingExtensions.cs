using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DaprReservations.BuildingBlocks.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The outbox relay for <typeparamref name="TContext"/> (whose model calls <c>AddOutboxAndInbox()</c>), its options (section <c>Outbox</c>) and metrics.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxMetrics>();
        // AddServiceDatabase adds every registered IInterceptor to the service's contexts: commits wake the relay.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, OutboxSignalInterceptor>());
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }

    /// <summary>
    /// Unwraps CloudEvents for subscription handlers and forwards the envelope's id and type as
    /// <c>Cloudevent.id</c> / <c>Cloudevent.type</c> headers (the inbox keys on the id), then maps
    /// <c>/dapr/subscribe</c>.
    /// </summary>
    public static WebApplication UseDaprPubSub(this WebApplication app)
    {
        app.UseCloudEvents(new CloudEventsMiddlewareOptions
        {
            ForwardCloudEventPropertiesAsHeaders = true,
            IncludedCloudEventPropertiesAsHeaders = ["id", "type", "source", "topic"],
        });
        app.MapSubscribeHandler();
        return app;
    }

    /// <summary>The CloudEvent id of the delivery being handled (forwarded by <see cref="UseDaprPubSub"/>).</summary>
    public static string? CloudEventId(this HttpRequest request) =>
        request.Headers.TryGetValue("Cloudevent.id", out var id) && !string.IsNullOrWhiteSpace(id) ? id.ToString() : null;
}
