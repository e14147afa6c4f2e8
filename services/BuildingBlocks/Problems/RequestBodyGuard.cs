using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>
/// Refuses, before any framework reader or handler sees it, a body that those readers would throw on instead of
/// answering: a charset .NET cannot decode (415; ASP.NET's JSON reader and Dapr's CloudEvents middleware both throw
/// <see cref="InvalidOperationException"/>/<see cref="ArgumentException"/>, a 500), and a CloudEvent envelope that
/// Dapr's CloudEvents middleware cannot unwrap (400): not JSON, not an object, text that is not valid Unicode (a lone
/// UTF-16 surrogate such as <c>"\ud800"</c>, invalid UTF-8), <c>data_base64</c> that is not base64.
/// </summary>
/// <remarks>
/// Only requests that carry a charset parameter or a CloudEvent pay anything: the charset is one header parse, the
/// envelope one extra JSON parse of a delivery (buffered, then rewound for Dapr's middleware). The hot JSON paths
/// (plain <c>application/json</c> without a charset) pass untouched.
/// </remarks>
internal sealed class RequestBodyGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public const string CloudEventsMediaType = "application/cloudevents+json";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType is { } contentType && CanHaveBody(context)
            && MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            if (Charset(mediaType) is { } charset && EncodingOf(charset) is null)
            {
                await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType,
                    $"Content-Type '{contentType}' names charset '{charset}', which this service cannot decode; send UTF-8 (charset=utf-8 or none).");
                return;
            }

            if (mediaType.MediaType.Equals(CloudEventsMediaType, StringComparison.OrdinalIgnoreCase)
                && await CloudEventEnvelope.DefectAsync(request, EncodingOf(Charset(mediaType)) ?? Encoding.UTF8, context.RequestAborted) is { } defect)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, $"The CloudEvent cannot be read: {defect}");
                return;
            }
        }

        await next(context);
    }

    private static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;

    /// <summary>The charset parameter exactly as ASP.NET and Dapr read it (quotes kept); null when there is none.</summary>
    private static string? Charset(MediaTypeHeaderValue mediaType) =>
        mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)) is { } parameter
            ? parameter.Value.ToString()
            : null;

    /// <summary>The encoding <see cref="Encoding.GetEncoding(string)"/> gives, as both readers ask it; null when it refuses.</summary>
    private static Encoding? EncodingOf(string? charset)
    {
        if (charset is null)
            return null;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
        // A client that accepts no JSON still learns the status and why.
        if (!written)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(detail, context.RequestAborted);
        }
    }
}

/// <summary>
/// Reads a structured CloudEvent the way Dapr's CloudEventsMiddleware (Dapr.AspNetCore 1.19) does and names the first
/// thing it would throw on. That middleware parses the envelope, enumerates its property names, reads
/// <c>datacontenttype</c>, re-serializes <c>data</c> (or decodes <c>data_base64</c>): each step throws on the defects
/// checked here.
/// </summary>
internal static class CloudEventEnvelope
{
    public static async Task<string?> DefectAsync(HttpRequest request, Encoding encoding, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        try
        {
            using var document = encoding.CodePage == Encoding.UTF8.CodePage
                ? await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken)
                : JsonDocument.Parse(await new StreamReader(request.Body, encoding, leaveOpen: true).ReadToEndAsync(cancellationToken));
            return Defect(document.RootElement);
        }
        catch (JsonException ex)
        {
            return $"the envelope is not a JSON document ({ex.Message})";
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static string? Defect(JsonElement envelope)
    {
        if (envelope.ValueKind != JsonValueKind.Object)
            return $"the envelope is a JSON {envelope.ValueKind.ToString().ToLowerInvariant()}, not an object.";
        if (InvalidText(envelope, "$", namesOnly: true) is { } badName)
            return badName;

        JsonElement? data = null, dataBase64 = null, dataContentType = null;
        foreach (var property in envelope.EnumerateObject())
        {
            if (property.Name.Equals("data", StringComparison.OrdinalIgnoreCase))
                data = property.Value;
            else if (property.Name.Equals("data_base64", StringComparison.OrdinalIgnoreCase))
                dataBase64 = property.Value;
            else if (property.Name.Equals("datacontenttype", StringComparison.OrdinalIgnoreCase))
                dataContentType = property.Value;
        }

        if (data is not null && dataBase64 is not null)
            return "it has both 'data' and 'data_base64'.";
        if (dataContentType is { ValueKind: JsonValueKind.String } type && InvalidText(type, "$.datacontenttype", namesOnly: false) is { } badType)
            return badType;
        if (data is { } value)
            return InvalidText(value, "$.data", namesOnly: false);
        if (dataBase64 is { } base64)
        {
            return base64.ValueKind == JsonValueKind.String && base64.TryGetBytesFromBase64(out _)
                ? null
                : "'data_base64' is not a base64 string.";
        }

        return null;
    }

    /// <summary>
    /// The first string (or property name) below <paramref name="element"/> that does not decode to valid UTF-16 text:
    /// a lone surrogate escape, or bytes that are not UTF-8.
    /// </summary>
    private static string? InvalidText(JsonElement element, string path, bool namesOnly)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String when !namesOnly:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name; // unescapes: throws for a lone surrogate in the name
                        if (!namesOnly && InvalidText(property.Value, $"{path}.{name}", namesOnly) is { } inner)
                            return inner;
                    }

                    break;
                case JsonValueKind.Array when !namesOnly:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (InvalidText(item, $"{path}[{index++}]", namesOnly) is { } inner)
                            return inner;
                    }

                    break;
            }

            return null;
        }
        catch (InvalidOperationException ex)
        {
            return $"{path} holds text that is not valid Unicode ({ex.Message})";
        }
    }
}
