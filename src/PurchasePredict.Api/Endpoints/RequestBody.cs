using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>Reads a whole request body, bounded by MAX_BODY_BYTES, without copying it.</summary>
public static class RequestBody
{
    /// <summary>
    /// Buffers the body in the request pipe and returns it; the caller must call
    /// <c>BodyReader.AdvanceTo(result.Buffer.End)</c> once done with it.
    /// </summary>
    public static async ValueTask<ReadResult> ReadAllAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(request.HttpContext.RequestAborted);
                if (result.Buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(result.Buffer.End);
                    throw TooLarge(maxBytes);
                }
                if (result.IsCanceled) throw new OperationCanceledException();
                if (result.IsCompleted) return result;
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's MaxRequestBodySize (set to MAX_BODY_BYTES) on a chunked body.
            throw TooLarge(maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            // Broken framing, such as bad chunked encoding.
            throw new FrameException(e.StatusCode, "Unreadable request body", e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            throw new FrameException(StatusCodes.Status400BadRequest, "Unreadable request body", "the request body ended early or the client went away");
        }
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                     || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson || semicolon < 0) return isJson;
        // JSON is UTF-8 (RFC 8259); refuse a body declared in another charset rather than misread it.
        var parameters = contentType.AsSpan(semicolon + 1);
        var charset = parameters.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (charset < 0) return true;
        var value = parameters[(charset + "charset=".Length)..].Trim().Trim('"');
        var end = value.IndexOf(';');
        if (end >= 0) value = value[..end].TrimEnd().Trim('"');
        return value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || value.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    private static FrameException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the request body is over {maxBytes} bytes (MAX_BODY_BYTES)");
}
