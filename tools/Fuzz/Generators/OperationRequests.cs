using System.Text;
using Fuzz.Api;
using Fuzz.Http;

namespace Fuzz.Generators;

/// <summary>How a write that carries real credentials is made harmless: at least one of these, chosen per request.</summary>
public enum Poison
{
    None,

    /// <summary>Every path parameter names nothing (or is no id at all).</summary>
    PathIds,

    /// <summary>Every id in the body names nothing (the write has nothing to act on).</summary>
    BodyIds,

    /// <summary>An <c>If-Match</c> that matches no version (412).</summary>
    StaleIfMatch,

    /// <summary>The body is broken so that no binder accepts it (see <see cref="BodyBreak"/>).</summary>
    BrokenBody,

    /// <summary>A content type no JSON endpoint accepts (415).</summary>
    RefusedContentType,
}

/// <summary>
/// Requests for one OpenAPI operation. The rule that keeps the state check meaningful: a request that could act
/// (real credentials, a spoofed sidecar, any method but GET/HEAD) always carries a <see cref="Poison"/>; only
/// requests that cannot pass authorization, or that only read, may name the seeded things as they are.
/// </summary>
public sealed class OperationRequests(Random random, Credentials credentials, IdPool ids, IReadOnlyDictionary<string, string> appTokens)
{
    private readonly RequestParts _parts = new(random, credentials, ids);

    public FuzzRequest Make(FuzzRoute route, int index)
    {
        var operation = route.Operation;
        var odd = random.Chance(0.1);
        var method = odd ? random.Pick(Nasty.OddMethods) : operation.Method;
        var safe = method is "GET" or "HEAD";
        var caller = _parts.PickCaller(safe);

        var pathParams = operation.In("path").ToList();
        var poisons = new List<Poison>();
        if (pathParams.Count > 0)
            poisons.Add(Poison.PathIds);
        if (!odd)
        {
            // Another method on the same path may reach another endpoint, which reads neither this body nor this header.
            if (operation.Body is { } schema)
            {
                poisons.Add(Poison.BrokenBody);
                poisons.Add(Poison.RefusedContentType);
                if (HasIdLeaves(schema))
                    poisons.Add(Poison.BodyIds);
            }

            if (operation.HasIfMatch)
                poisons.Add(Poison.StaleIfMatch);
        }

        var request = new FuzzRequest
        {
            Index = index,
            Route = route.Name,
            Base = route.Base,
            Method = method,
            Target = "/", // set below, once path values are chosen
        };
        _parts.AddCaller(request, caller);
        _parts.MaybeAddSidecarClaims(request, route.ViaEdge ? null : appTokens.GetValueOrDefault(route.App), 0.08);

        var poison = Poison.None;
        if (request.Privileged && !safe)
        {
            if (poisons.Count > 0)
            {
                poison = random.Pick(poisons);
                request.Recipe.Add("poison:" + poison);
            }
            else if (pathParams.Count > 0 || operation.Body is not null || odd)
            {
                // Nothing can make this write harmless: send it without credentials instead.
                request.Headers.Clear();
                request.Recipe.Clear();
                request.Privileged = false;
                _parts.AddCaller(request, Caller.Anonymous);
            }
            // else: a bodyless, parameterless write (e.g. POST /admin/sweep) — valid, and a no-op on a quiet system.
        }

        var target = new StringBuilder(route.Prefix);
        var previous = (string?)null;
        foreach (var segment in operation.Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            target.Append('/');
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment.Trim('{', '}').Split(':')[0];
                target.Append(_parts.PathValue(IdPool.KindOf(name, previous), realAllowed: poison != Poison.PathIds));
            }
            else
            {
                target.Append(segment);
                previous = segment;
            }
        }

        if (target.Length == 0)
            target.Append('/');
        AddQuery(target, operation);
        AddHeaders(request, operation, poison);
        AddBody(request, operation, poison, odd);
        _parts.MaybeAddOddHeaders(request);
        request.Target = target.ToString();
        return request;
    }

    private void AddQuery(StringBuilder target, ApiOperation operation)
    {
        var pairs = new List<string>();
        foreach (var parameter in operation.In("query"))
        {
            if (random.Chance(0.7))
                pairs.Add($"{parameter.Name}={_parts.QueryValue(parameter.Schema)}");
        }

        if (_parts.OddQuery() is { } odd)
            pairs.Add(odd);
        if (pairs.Count > 0)
            target.Append('?').Append(string.Join('&', pairs));
    }

    private void AddHeaders(FuzzRequest request, ApiOperation operation, Poison poison)
    {
        foreach (var parameter in operation.In("header"))
        {
            var isIfMatch = parameter.Name.Equals("If-Match", StringComparison.OrdinalIgnoreCase);
            if (isIfMatch && poison == Poison.StaleIfMatch)
            {
                request.Headers.Add((parameter.Name, random.Pick(Nasty.StaleIfMatch)));
                continue;
            }

            if (!random.Chance(0.7))
                continue;
            var value = random.Chance(0.4) ? "fuzz-" + random.Next(1_000_000) : random.Pick(Nasty.HeaderValues);
            request.Headers.Add((parameter.Name, value));
            if (value.Any(c => c > 127) || value.Length > 1000)
                request.Recipe.Add($"header:{parameter.Name}:{(value.Length > 1000 ? "oversized" : "non-ascii")}");
        }
    }

    private void AddBody(FuzzRequest request, ApiOperation operation, Poison poison, bool odd)
    {
        if (operation.Body is { } schema && !odd)
        {
            var breaks = JsonBodies.BreaksFor(schema);
            var breakage = poison == Poison.BrokenBody || random.Chance(0.25) ? random.Pick(breaks) : BodyBreak.None;
            var bodies = new JsonBodies(random, ids, realIds: poison != Poison.BodyIds);
            request.Body = random.Chance(0.03) && poison != Poison.BrokenBody && !request.Privileged ? [] : bodies.Make(schema, breakage, request.Recipe);
            var contentType = poison == Poison.RefusedContentType ? random.Pick(Nasty.RefusedContentTypes)
                : random.Chance(0.75) ? "application/json" : random.Pick(Nasty.ContentTypes);
            if (contentType != "application/json" || poison == Poison.RefusedContentType)
                request.Recipe.Add("content-type:" + contentType);
            if (!random.Chance(0.03) || poison == Poison.RefusedContentType)
                request.Headers.Add(("Content-Type", contentType));
            return;
        }

        if (random.Chance(0.1))
        {
            // A body where none is expected (GET with a body, garbage on a bodyless POST).
            request.Body = Utf8.Wtf8(random.Pick(["{}", "{\"a\":", "[1,2", Nasty.HundredKb, "\ud800", "null"]));
            request.Headers.Add(("Content-Type", random.Pick(Nasty.ContentTypes)));
            request.Recipe.Add("body:unexpected");
        }
    }

    private static bool HasIdLeaves(Schema schema) =>
        schema.Properties.Any(p => IdPool.KindOf(p.Key) is not null || (p.Value.IsObject && HasIdLeaves(p.Value)));
}
