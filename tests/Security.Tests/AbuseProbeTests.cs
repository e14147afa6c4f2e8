using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// (f) One customer cannot take a slot's capacity from everyone else through the edge: over the per-slot cap the
/// answer is a 409 ProblemDetails naming the limit, the store holds exactly the cap, and another customer still holds.
/// A made-up slot id is a 404 that creates nothing.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class AbuseProbeTests(SecuritySystem system)
{
    [Fact]
    public async Task A_customer_over_the_per_slot_cap_gets_409_customer_limit_and_others_can_still_hold()
    {
        var slotId = await system.CreateSlotAsync(capacity: 40, daysAhead: 3);
        using var mallory = system.Client("mallory");

        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 14; i++)
        {
            using var response = await HoldAsync(mallory, slotId);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        answers.Count(a => a.Status == HttpStatusCode.Created).Should().Be(10, "the default cap is 10 per customer and slot");
        answers.Where(a => a.Status != HttpStatusCode.Created).Should().OnlyContain(a =>
            a.Status == HttpStatusCode.Conflict && JsonDocument.Parse(a.Body).RootElement.GetProperty("reason").GetString() == "customer-limit");

        using var erin = system.Client("erin");
        using var other = await HoldAsync(erin, slotId);
        other.StatusCode.Should().Be(HttpStatusCode.Created, "the cap is per customer");

        var availability = await SecuritySystem.ReadAsync(await erin.GetAsync($"api/reservation/slots/{slotId}/availability"));
        availability.GetProperty("held").GetInt32().Should().Be(11);
        availability.GetProperty("available").GetInt32().Should().Be(29);
    }

    [Fact]
    public async Task Availability_of_and_a_hold_on_a_made_up_slot_are_404()
    {
        using var mallory = system.Client("mallory2");
        var slotId = Guid.NewGuid().ToString();

        (await mallory.GetAsync($"api/reservation/slots/{slotId}/availability")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var hold = await HoldAsync(mallory, slotId);
        hold.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(system.System.Redis!.Host);
        var keys = redis.GetServer(system.System.Redis.Host).Keys(pattern: $"*{slotId}*").ToList();
        keys.Should().BeEmpty("a made-up id allocates nothing in Redis");
    }

    private static Task<HttpResponseMessage> HoldAsync(HttpClient client, string slotId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/reservation/holds") { Content = JsonContent.Create(new { slotId, quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return client.SendAsync(request);
    }
}
