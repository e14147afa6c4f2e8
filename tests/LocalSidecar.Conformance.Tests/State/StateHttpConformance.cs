using System.Net;
using System.Text;
using System.Text.Json;
using LocalSidecar.Conformance.Tests.Infrastructure;

namespace LocalSidecar.Conformance.Tests.State;

/// <summary>daprd's HTTP state API (dapr:tests/integration/suite/daprd/state/http/{basic,errors}.go and §1.10/§1.11).</summary>
public abstract class StateHttpConformance(SidecarFixture fixture)
{
    private readonly HttpClient _http = fixture.Http;
    private readonly string _store = fixture.StateStore;

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> SaveAsync(string body) => PostAsync($"v1.0/state/{_store}", body);

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response, int status, string errorCode)
    {
        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        error.GetProperty("errorCode").GetString().Should().Be(errorCode);
        return error;
    }

    private async Task<(string Body, string? ETag)> GetAsync(string key)
    {
        using var response = await _http.GetAsync($"v1.0/state/{_store}/{key}");
        return (await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag);
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "",
        "{}",
        "foobar",
        "[{}]",
        """[{"key":"a||b","value":"v"}]""",
        """[{"key":"k","value":"v"},]""",
        """[{"key":"k","value":"v","etag":123}]""",
        """[{"ey":"k","value":"v"}]""",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_save_body_is_400_malformed_request(string body)
    {
        using var response = await SaveAsync(body);
        await ErrorOf(response, 400, "ERR_MALFORMED_REQUEST");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"key":"key1","vae":"value1"}]""")]
    [InlineData("""[{"key":"key1","value":"value1"},{"key":"key2","value":{"a":1}}]""")]
    public async Task Accepted_save_body_is_204_with_no_content(string body)
    {
        using var response = await SaveAsync(body);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_store_is_400_with_the_state_not_found_error_info()
    {
        using var response = await PostAsync("v1.0/state/no-such-store", """[{"key":"k","value":1}]""");
        var error = await ErrorOf(response, 400, "ERR_STATE_STORE_NOT_FOUND");
        error.GetProperty("message").GetString().Should().Be("state store no-such-store is not found");
        var detail = error.GetProperty("details")[0];
        detail.GetProperty("reason").GetString().Should().Be("DAPR_STATE_NOT_FOUND");
        detail.GetProperty("domain").GetString().Should().Be("dapr.io");
    }

    [Fact]
    public async Task Key_with_double_pipe_is_400_illegal_key()
    {
        using var response = await _http.GetAsync($"v1.0/state/{_store}/a||b");
        var error = await ErrorOf(response, 400, "ERR_MALFORMED_REQUEST");
        error.GetProperty("details")[0].GetProperty("reason").GetString().Should().Be("DAPR_STATE_ILLEGAL_KEY");
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_204()
    {
        using var response = await _http.GetAsync($"v1.0/state/{_store}/{SidecarFixture.NewKey()}");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Get_returns_the_raw_value_with_the_version_as_etag_header()
    {
        var key = SidecarFixture.NewKey();
        (await SaveAsync($$$"""[{"key":"{{{key}}}","value":{"n":1}}]""")).Dispose();
        (await SaveAsync($$$"""[{"key":"{{{key}}}","value":{"n":2}}]""")).Dispose();

        using var response = await _http.GetAsync($"v1.0/state/{_store}/{key}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Headers.GetValues("ETag").Should().Equal("2");
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"n":2}""");
    }

    [Fact]
    public async Task Values_are_re_encoded_compactly_and_strings_keep_their_quotes()
    {
        var (text, spaced, missing, number) = (SidecarFixture.NewKey(), SidecarFixture.NewKey(), SidecarFixture.NewKey(), SidecarFixture.NewKey());
        (await SaveAsync($$$"""
            [{"key":"{{{text}}}","value":"hello <b>"},
             {"key":"{{{spaced}}}","value":{ "a" : [ 1 , true , null ] , "u" : "\u00e9" }},
             {"key":"{{{missing}}}"},
             {"key":"{{{number}}}","value":1.23456789}]
            """)).Dispose();

        (await GetAsync(text)).Body.Should().Be("\"hello <b>\"");
        (await GetAsync(spaced)).Body.Should().Be("""{"a":[1,true,null],"u":"é"}""");
        (await GetAsync(missing)).Body.Should().Be("null");
        // jsoniter's 6-decimal float formatting.
        (await GetAsync(number)).Body.Should().Be("1.234568");
    }

    [Fact]
    public async Task Non_numeric_etag_is_400_and_stale_etag_is_409()
    {
        var key = SidecarFixture.NewKey();
        (await SaveAsync($$$"""[{"key":"{{{key}}}","value":1}]""")).Dispose();

        using (var invalid = await SaveAsync($$$"""[{"key":"{{{key}}}","value":2,"etag":"abc"}]"""))
            await ErrorOf(invalid, 400, "ERR_STATE_SAVE");
        using (var stale = await SaveAsync($$$"""[{"key":"{{{key}}}","value":2,"etag":"9999999"}]"""))
            await ErrorOf(stale, 409, "ERR_STATE_SAVE");
        using var current = await SaveAsync($$$"""[{"key":"{{{key}}}","value":2,"etag":"1"}]""");
        current.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task First_write_conflict_without_etag_is_500_and_bad_concurrency_is_500()
    {
        var key = SidecarFixture.NewKey();
        var firstWrite = $$$"""[{"key":"{{{key}}}","value":1,"options":{"concurrency":"first-write"}}]""";
        (await SaveAsync(firstWrite)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using (var conflict = await SaveAsync(firstWrite))
            await ErrorOf(conflict, 500, "ERR_STATE_SAVE");
        using var unknown = await SaveAsync($$$"""[{"key":"{{{key}}}","value":1,"options":{"concurrency":"sometimes"}}]""");
        await ErrorOf(unknown, 500, "ERR_STATE_SAVE");
    }

    [Fact]
    public async Task Query_metadata_applies_to_every_item()
    {
        using var response = await PostAsync($"v1.0/state/{_store}?metadata.ttlInSeconds=foo", $$$"""[{"key":"{{SidecarFixture.NewKey()}}","value":1}]""");
        await ErrorOf(response, 500, "ERR_STATE_SAVE");
    }

    [Fact]
    public async Task Delete_uses_if_match_409_when_stale_and_204_when_current()
    {
        var key = SidecarFixture.NewKey();
        (await SaveAsync($$$"""[{"key":"{{{key}}}","value":1}]""")).Dispose();

        using (var stale = new HttpRequestMessage(HttpMethod.Delete, $"v1.0/state/{_store}/{key}"))
        {
            stale.Headers.TryAddWithoutValidation("If-Match", "7");
            await ErrorOf(await _http.SendAsync(stale), 409, "ERR_STATE_DELETE");
        }

        using var current = new HttpRequestMessage(HttpMethod.Delete, $"v1.0/state/{_store}/{key}");
        current.Headers.TryAddWithoutValidation("If-Match", "1");
        (await _http.SendAsync(current)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _http.GetAsync($"v1.0/state/{_store}/{key}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Bulk_get_embeds_raw_json_data_and_omits_data_for_missing_keys()
    {
        var key = SidecarFixture.NewKey();
        var missing = SidecarFixture.NewKey();
        (await SaveAsync($$$"""[{"key":"{{{key}}}","value":{"x":[1]}}]""")).Dispose();

        using var response = await PostAsync($"v1.0/state/{_store}/bulk", $$$"""{"keys":["{{{key}}}","{{{missing}}}"],"parallelism":10}""");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($$$"""[{"key":"{{{key}}}","data":{"x":[1]},"etag":"1"},{"key":"{{{missing}}}"}]""");
    }

    [Fact]
    public async Task Http_transaction_is_applied_in_order_and_answers_204()
    {
        var (a, b) = (SidecarFixture.NewKey(), SidecarFixture.NewKey());
        using var response = await PostAsync($"v1.0/state/{_store}/transaction", $$$"""
            {"operations":[
              {"operation":"upsert","request":{"key":"{{{a}}}","value":"A"}},
              {"operation":"upsert","request":{"key":"{{{b}}}","value":"B"}},
              {"operation":"delete","request":{"key":"{{{b}}}"}}],
             "metadata":{"partitionKey":"p"}}
            """);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await GetAsync(a)).Body.Should().Be("\"A\"");
        (await _http.GetAsync($"v1.0/state/{_store}/{b}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Http_transaction_with_stale_etag_is_500_yet_partially_committed()
    {
        var (stale, other) = (SidecarFixture.NewKey(), SidecarFixture.NewKey());
        (await SaveAsync($$$"""[{"key":"{{{stale}}}","value":"orig"}]""")).Dispose();

        using var response = await PostAsync($"v1.0/state/{_store}/transaction", $$$"""
            {"operations":[
              {"operation":"upsert","request":{"key":"{{{stale}}}","value":"new","etag":"9999999"}},
              {"operation":"upsert","request":{"key":"{{{other}}}","value":"written"}}]}
            """);

        await ErrorOf(response, 500, "ERR_STATE_TRANSACTION");
        (await GetAsync(stale)).Body.Should().Be("\"orig\"");
        (await GetAsync(other)).Body.Should().Be("\"written\"");
    }

    [Fact]
    public async Task Http_transaction_with_an_unknown_operation_is_400()
    {
        using var response = await PostAsync($"v1.0/state/{_store}/transaction",
            """{"operations":[{"operation":"merge","request":{"key":"k","value":1}}]}""");
        await ErrorOf(response, 400, "ERR_NOT_SUPPORTED_STATE_OPERATION");
    }
}

public sealed class StateHttpOnRedis(StateRedisFixture fixture) : StateHttpConformance(fixture), IClassFixture<StateRedisFixture>;

public sealed class StateHttpOnMemory(StateMemoryFixture fixture) : StateHttpConformance(fixture), IClassFixture<StateMemoryFixture>;
