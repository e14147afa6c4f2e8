using System.Globalization;
using Fuzz.Http;

namespace Fuzz.Generators;

/// <summary>
/// Requests to routes only a sidecar should call: CloudEvent deliveries with broken envelopes, actor calls for actors
/// that do not exist, and <c>/dapr/*</c> and health probes. A delivery always carries one defect no handler can act
/// on (no order id, data that is no object, a lone surrogate in the order id, bytes that are no JSON), and names
/// only fake ids, so even a handler that trusted it could change nothing.
/// </summary>
public sealed class SidecarRequests(Random random, Credentials credentials, IdPool ids, IReadOnlyDictionary<string, string> appTokens)
{
    private readonly RequestParts _parts = new(random, credentials, ids);

    public FuzzRequest Make(FuzzRoute route, int index)
    {
        var request = new FuzzRequest { Index = index, Route = route.Name, Base = route.Base, Method = route.Operation.Method, Target = route.Operation.Path };
        switch (route.Kind)
        {
            case RouteKind.Subscription:
                Delivery(request, route);
                break;
            case RouteKind.Actor:
                Actor(request, route);
                break;
            default:
                Probe(request, appTokens.GetValueOrDefault(route.App));
                break;
        }

        _parts.MaybeAddOddHeaders(request);
        return request;
    }

    private void Delivery(FuzzRequest request, FuzzRoute route)
    {
        _parts.AddCaller(request, random.Chance(0.7) ? Caller.Anonymous : Caller.RefusedToken);
        // The app token (when known) gets most deliveries past the token check into the handler: their defect must
        // stop them there. The rest show the check itself (no token, a wrong one, a spoofed caller id).
        if (appTokens.GetValueOrDefault(route.App) is { } token && random.Chance(0.6))
            AddAppToken(request, token);
        else
            _parts.MaybeAddSidecarClaims(request, null, 0.5);
        if (random.Chance(0.05))
            request.Method = random.Pick(Nasty.OddMethods);

        var (defect, data) = DefectiveData();
        request.Recipe.Add("event:" + defect);
        var envelope = new List<string>();
        void Field(string name, string json) => envelope.Add($"{Utf8.JsonString(name)}:{json}");
        var broken = random.Next(0, 3);
        var fields = new[] { "specversion", "id", "type", "source", "datacontenttype" };
        var breakField = broken > 0 ? random.Pick(fields) : null;
        foreach (var name in fields)
        {
            if (name == breakField)
            {
                request.Recipe.Add("envelope:" + name);
                if (random.Chance(0.3))
                    continue; // missing
                Field(name, random.Pick(["42", "null", "\"\"", "{}", Utf8.JsonString(random.Pick(Nasty.Strings)), "\"0.3\"", "\"text/plain\""]));
                continue;
            }

            Field(name, name switch
            {
                "specversion" => "\"1.0\"",
                "id" => Utf8.JsonString("fuzz-" + random.NextInt64().ToString("x", CultureInfo.InvariantCulture)),
                "type" => Utf8.JsonString((route.Topic ?? "x") + ".v1"),
                "source" => "\"fuzz\"",
                _ => "\"application/json\"",
            });
        }

        Field("topic", Utf8.JsonString(random.Chance(0.9) ? route.Topic ?? "x" : random.Pick(Nasty.Strings)));
        Field("pubsubname", "\"pubsub\"");
        if (random.Chance(0.1))
            Field("data_base64", defect is "no-data" or "invalid-utf8" ? random.Pick(["\"!!!\"", "\"\"", "42"])
                : Utf8.JsonString(Convert.ToBase64String(Utf8.Wtf8(data))));
        if (defect != "no-data")
            Field("data", random.Chance(0.1) ? Utf8.JsonString(data) : data);

        var text = defect == "malformed" ? "{" + string.Join(",", envelope) : "{" + string.Join(",", envelope) + "}";
        if (random.Chance(0.1) && defect is not ("malformed" or "no-data"))
        {
            text = data; // as daprd sends a raw payload
            request.Recipe.Add("raw-payload");
        }

        request.Body = Utf8.Wtf8(text);
        if (defect == "invalid-utf8")
            request.Body = [.. request.Body.SelectMany(b => b == (byte)'~' ? new byte[] { 0xED, 0xA0, 0x80 } : [b])];
        var contentType = random.Chance(0.7) ? "application/cloudevents+json" : random.Pick(Nasty.ContentTypes);
        request.Headers.Add(("Content-Type", contentType));
        if (contentType != "application/cloudevents+json")
            request.Recipe.Add("content-type:" + contentType);
    }

    /// <summary>
    /// The app's real token, as its sidecar presents it. Never on <c>/actors</c>: there the Dapr actor runtime answers a
    /// call it cannot dispatch with 500 by protocol (daprd relays it as an actor error), and only the sidecar gets there.
    /// </summary>
    private static void AddAppToken(FuzzRequest request, string token)
    {
        request.Headers.Add(("dapr-api-token", token));
        request.Recipe.Add("app-token");
        request.Privileged = true;
    }

    /// <summary>The saga's field names with fake values, then one defect that leaves no order to act on.</summary>
    private (string Defect, string Data) DefectiveData()
    {
        var members = new Dictionary<string, string>
        {
            ["orderId"] = Utf8.JsonString(ids.Fake(random)),
            ["customerId"] = Utf8.JsonString(random.Chance(0.5) ? random.Pick(Nasty.Strings) : "fuzz-customer"),
            ["paymentId"] = Utf8.JsonString(ids.Fake(random)),
            ["amount"] = random.Pick(Nasty.Numbers),
            ["currency"] = Utf8.JsonString(random.Pick(["KRW", "krw", "", "🎟️", Nasty.LoneHigh])),
            ["reason"] = Utf8.JsonString(random.Pick(Nasty.Strings)),
            ["status"] = Utf8.JsonString(random.Pick(["cancelled", "expired", "failed", "", Nasty.HundredKb])),
            ["paid"] = random.Pick(["true", "false", "\"yes\"", "1"]),
            ["lines"] = $"[{{\"holdId\":{Utf8.JsonString(ids.Fake(random))},\"slotId\":{Utf8.JsonString(ids.Fake(random))},\"quantity\":{random.Pick(Nasty.Numbers)}}}]",
            ["slotId"] = Utf8.JsonString(ids.Fake(random)),
            ["resourceId"] = Utf8.JsonString(ids.Fake(random)),
            ["capacity"] = random.Pick(Nasty.Numbers),
            ["version"] = random.Pick(Nasty.Numbers),
            ["deleted"] = random.Pick(["true", "false", "null"]),
        };
        var defect = random.Pick(["no-order-id", "blank-order-id", "order-id-lone-surrogate", "order-id-wrong-kind", "not-an-object", "malformed", "no-data", "invalid-utf8"]);
        switch (defect)
        {
            case "no-order-id": members.Remove("orderId"); break;
            case "blank-order-id": members["orderId"] = random.Pick(["\"\"", "\"   \"", "null", "\"\\t\""]); break;
            case "order-id-lone-surrogate": members["orderId"] = Utf8.JsonString(random.Pick(["\ud800", "a\udc00", "\udbff"])); break;
            case "order-id-wrong-kind": members["orderId"] = random.Pick(["42", "{}", "[]", "true"]); break;
            case "invalid-utf8": members["orderId"] = "\"~\""; break; // '~' becomes ED A0 80 on the wire
            case "not-an-object": return (defect, random.Pick(["42", "\"text\"", "[]", "true", "[{\"orderId\":\"x\"}]", "-0"]));
        }

        var data = "{" + string.Join(",", members.Select(m => $"\"{m.Key}\":{m.Value}")) + "}";
        return (defect, data);
    }

    private void Actor(FuzzRequest request, FuzzRoute route)
    {
        // Never a seeded slot id: an actor is a slot, and a call that reached one could change it.
        _parts.AddCaller(request, random.Chance(0.5) ? Caller.Anonymous : Caller.RefusedToken);
        var id = random.Chance(0.5) ? Utf8.PercentEncode(ids.Fake(random)) : random.Pick(Nasty.BadIds);
        var type = random.Chance(0.8) ? route.Topic ?? "SlotActor" : random.Pick(["x", "..", "%2F", "🎟️"]);
        request.Target = route.Operation.Path.Replace("{type}", type, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{method}", random.Pick(["Execute", "Read", "x", "GetType", ""]), StringComparison.Ordinal)
            .Replace("{name}", random.Pick(["sweep", "x", "", "%2F"]), StringComparison.Ordinal);
        request.Recipe.Add("actor");
        if (request.Method == "DELETE" && random.Chance(0.7))
            return;
        request.Body = Utf8.Wtf8(random.Pick([
            "{\"commandType\":\"System.Object\",\"command\":{}}", "{\"commandType\":\"Reservation.Domain.Nope\",\"command\":null}",
            "{\"data\":\"x\",\"dueTime\":\"-1\",\"period\":\"garbage\"}", "{\"dueTime\":\"99999999999h\"}", "{", "[]", "null",
            "{\"commandType\":" + Utf8.JsonString(Nasty.LoneHigh) + "}", Nasty.HundredKb,
        ]));
        request.Headers.Add(("Content-Type", random.Chance(0.8) ? "application/json" : random.Pick(Nasty.ContentTypes)));
    }

    private void Probe(FuzzRequest request, string? appToken)
    {
        _parts.AddCaller(request, random.Chance(0.5) ? Caller.Anonymous : Caller.RefusedToken);
        if (appToken is not null && random.Chance(0.4))
            AddAppToken(request, appToken); // /dapr/subscribe and /dapr/config answer only the sidecar: reach them too
        if (random.Chance(0.3))
            request.Method = random.Pick(Nasty.OddMethods);
        if (_parts.OddQuery() is { } query)
            request.Target += "?" + query;
        request.Recipe.Add("probe");
    }
}
