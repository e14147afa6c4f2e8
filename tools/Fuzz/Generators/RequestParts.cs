using System.Globalization;
using Fuzz.Http;

namespace Fuzz.Generators;

/// <summary>Who a request speaks as, and whether that could let a write through.</summary>
public enum Caller
{
    Anonymous,
    RefusedToken,
    Stranger,
    Owner,
    Admin,
}

/// <summary>Pieces every generator shares: caller headers, odd extra headers, query strings, path values.</summary>
public sealed class RequestParts(Random random, Credentials credentials, IdPool ids)
{
    /// <summary>The caller; <see cref="Caller.Owner"/> only when the request cannot write (the owner's things stay as seeded).</summary>
    public Caller PickCaller(bool safe)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 18 => Caller.Anonymous,
            < 38 => Caller.RefusedToken,
            < 62 => Caller.Stranger,
            < 88 => Caller.Admin,
            _ => safe ? Caller.Owner : Caller.Anonymous,
        };
    }

    public void AddCaller(FuzzRequest request, Caller caller)
    {
        var authorization = caller switch
        {
            Caller.Admin => "Bearer " + credentials.AdminToken,
            Caller.Stranger => "Bearer " + credentials.StrangerToken,
            Caller.Owner => "Bearer " + credentials.OwnerToken,
            Caller.RefusedToken => random.Pick(credentials.Refused),
            _ => null,
        };
        if (authorization is not null)
            request.Headers.Add(("Authorization", authorization));
        request.Recipe.Add("caller:" + caller.ToString().ToLowerInvariant());
        request.Privileged |= caller is Caller.Admin or Caller.Stranger or Caller.Owner;
    }

    /// <summary>
    /// Headers that claim to come from a sidecar: a spoofed caller app id or API token (privileged when it is the real
    /// app token, since then the app must believe it).
    /// </summary>
    public void MaybeAddSidecarClaims(FuzzRequest request, string? appToken, double chance)
    {
        if (!random.Chance(chance))
            return;
        switch (random.Next(4))
        {
            case 0:
                request.Headers.Add(("dapr-caller-app-id", random.Pick(["ordering", "payment", "reservation", "web", "", "🎟️"])));
                request.Recipe.Add("spoof:caller-app-id");
                request.Privileged = true; // trusted alone where no app token is configured
                break;
            case 1 when appToken is not null:
                request.Headers.Add(("dapr-api-token", appToken));
                request.Headers.Add(("dapr-caller-app-id", "ordering"));
                request.Recipe.Add("app-token");
                request.Privileged = true;
                break;
            default:
                request.Headers.Add(("dapr-api-token", random.Pick(["wrong", "", new string('t', 4096), "키"])));
                request.Recipe.Add("spoof:api-token");
                break;
        }
    }

    /// <summary>Headers nobody asked for, in odd forms: tracing, forwarding, cookies, languages, ranges.</summary>
    public void MaybeAddOddHeaders(FuzzRequest request)
    {
        if (random.Chance(0.2))
        {
            request.Headers.Add(("Accept", random.Pick(["application/xml", "text/html", "*/*", "application/problem+json", "}{", "application/json; q=abc", "é"])));
        }

        if (!random.Chance(0.2))
            return;
        var (name, value) = random.Next(12) switch
        {
            0 => ("traceparent", random.Pick(["00-zz-zz-01", "ff-" + new string('0', 32) + "-" + new string('0', 16) + "-00", "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"])),
            1 => ("tracestate", new string('a', 10_000)),
            2 => ("baggage", random.Pick(["k=%ZZ", "=,=,=", "a=" + new string('b', 9000), "키=값"])),
            3 => ("X-Forwarded-For", random.Pick(["999.1.1.1", "unknown, ::1, 예약", "", "127.0.0.1, 10.0.0.1"])),
            4 => ("X-Forwarded-Proto", random.Pick(["javascript", "https, http", ""])),
            5 => ("X-Forwarded-Host", random.Pick(["evil.example", "", "a/b"])),
            6 => ("Cookie", random.Pick(["a=b; a=c", "=", new string('c', 8000), "session=\u00ff"])),
            7 => ("Accept-Language", random.Pick(["zz-ZZ", "*;q=2", "ko-KR,ko;q=abc", "", "\u00e9"])),
            8 => ("Range", random.Pick(["bytes=abc", "bytes=999999999999999999999-", "bytes=0-0,0-0,0-0"])),
            9 => ("dapr-app-id", random.Pick(["payment", "reservation", "../x", ""])),
            10 => ("X-HTTP-Method-Override", random.Pick(["DELETE", "PUT", "CONNECT"])),
            _ => ("Origin", random.Pick(["null", "http://evil.example", "ftp://x"])),
        };
        request.Headers.Add((name, value));
        request.Recipe.Add("header:" + name);
    }

    /// <summary>A path value in request-target form: a real id, a well-formed fake, or something that is no id.</summary>
    public string PathValue(string? kind, bool realAllowed)
    {
        if (realAllowed && random.Chance(0.5) && ids.PickReal(random, kind) is { } real)
            return real;
        return random.Chance(0.45) ? random.Pick(Nasty.BadIds) : Utf8.PercentEncode(ids.Fake(random));
    }

    public string QueryValue(Api.Schema schema) => schema.Type switch
    {
        "integer" or "number" => random.Chance(0.5) ? random.Next(-2, 600).ToString(CultureInfo.InvariantCulture) : Utf8.PercentEncode(random.Pick(Nasty.Numbers).Trim('"')),
        "string" when schema.Format == "date-time" => random.Chance(0.6)
            ? Utf8.PercentEncode(DateTimeOffset.UtcNow.AddDays(random.Next(-5, 40)).ToString("O", CultureInfo.InvariantCulture))
            : Utf8.PercentEncode(random.Pick(Nasty.Strings)),
        "string" when schema.Enum.Count > 0 && random.Chance(0.5) => Utf8.PercentEncode(random.Pick(schema.Enum)),
        _ => random.Chance(0.5) ? Utf8.PercentEncode(random.Pick(Nasty.Strings)) : random.Pick(Nasty.BadIds),
    };

    /// <summary>Query text beyond the declared parameters: repeats, empty names, bad escapes.</summary>
    public string? OddQuery() => random.Chance(0.1)
        ? random.Pick(["a=1&a=2", "=", "&&&", "x=%ZZ", "x[]=1&x[0]=2", "%00=%00", "status=pending&status=paid", "limit=1&limit=x", "q=" + new string('q', 6000)])
        : null;
}
