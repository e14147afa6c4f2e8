using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DevIdentity.Tests;

/// <summary>No transport security and no passwords: the provider must refuse to run anywhere but Development.</summary>
public sealed class StartupGuardTests
{
    [Fact]
    public void Outside_Development_the_provider_refuses_to_start()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var start = () => factory.CreateClient();

        start.Should().Throw<InvalidOperationException>().WithMessage("*ASPNETCORE_ENVIRONMENT=Development*");
    }

    [Fact]
    public async Task Tests_may_allow_another_environment_explicitly()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Production")
            .UseSetting("Identity:AllowNonDevelopment", "true"));

        var response = await factory.CreateClient().GetAsync("/healthz");

        response.IsSuccessStatusCode.Should().BeTrue();
    }
}
