using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payment.Api;
using Payment.Domain;
using Payment.Infrastructure;

namespace Payment;

public static class PaymentServiceExtensions
{
    /// <summary>Provider settings, the simulated provider, ordering's read client, the processor and the reader policy.</summary>
    public static IHostApplicationBuilder AddPayment(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentOptions>, PaymentOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPaymentGateway>(sp =>
            new SimulatedPaymentGateway(sp.GetRequiredService<IOptions<PaymentOptions>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new OrderingClient(OrderingClient.CreateHttpClient(sp.GetRequiredService<Dapr.Client.DaprClient>())));
        builder.Services.AddScoped<PaymentProcessor>();
        builder.Services.AddSingleton<IAuthorizationHandler, InternalOrAdminHandler>();
        builder.Services.AddAuthorizationBuilder().AddPaymentReaderPolicy();
        return builder;
    }
}
