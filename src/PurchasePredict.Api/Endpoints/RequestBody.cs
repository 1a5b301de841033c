using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>What a request body holds: a JSON frame, or CSV (MLflow's text/csv).</summary>
public enum BodyFormat { Json, Csv }

/// <summary>
/// A request body read whole; disposing it gives Kestrel back the buffer it was read in, if any, and a large body's
/// turn at the <see cref="LargeBodyGate"/>.
/// </summary>
public readonly struct ReadBody(ReadOnlySequence<byte> content, PipeReader? heldBy, IDisposable? turn) : IDisposable
{
    public ReadOnlySequence<byte> Content { get; } = content;

    public void Dispose()
    {
        heldBy?.AdvanceTo(Content.End);
        turn?.Dispose();
    }
}

/// <summary>Reads a whole request body, bounded by MAX_BODY_BYTES; and checks what it is.</summary>
public static class RequestBody
{
    /// <summary>
    /// The whole body. The limit counts the body's own bytes, never the chunked framing, so a body of
    /// MAX_BODY_BYTES passes with or without Content-Length. A body that arrived with the request head (the usual
    /// small one) is used where Kestrel holds it, without a copy; a larger one is copied out as it arrives.
    /// </summary>
    public static async ValueTask<ReadBody> ReadAllAsync(HttpRequest request, long maxBytes, LargeBodyGate gate, bool gzip)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var reader = request.BodyReader;
        byte[]? copy = null;
        var length = 0;
        // A body announced large (or gzip, which may inflate to any size) waits for its turn before it is read;
        // a chunked one once it has grown large.
        var turn = gzip || LargeBodyGate.IsLarge(request.ContentLength ?? 0) ? await gate.EnterAsync(request.HttpContext) : null;
        try
        {
            while (true)
            {
                // No cancellation token: a read cancelled through one leaves Kestrel's body reader "reading", and Kestrel
                // then logs an error with a stack trace when it drains the body. An aborted connection ends the read anyway.
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (length + buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    turn?.Dispose();
                    throw TooLarge(maxBytes);
                }
                if (copy is null && result.IsCompleted) return new ReadBody(buffer, reader, turn);
                // Everything read is consumed at once: Kestrel's reader can then be reset if the body ends early.
                if (copy is null || length + buffer.Length > copy.Length)
                    Array.Resize(ref copy, (int)Math.Min(maxBytes, Math.Max(request.ContentLength ?? 0, 2L * (length + buffer.Length))));
                buffer.CopyTo(copy.AsSpan(length));
                length += (int)buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted) return new ReadBody(new ReadOnlySequence<byte>(copy, 0, length), null, turn);
                turn ??= LargeBodyGate.IsLarge(length) ? await gate.EnterAsync(request.HttpContext) : null;
            }
        }
        catch (BadHttpRequestException e)
        {
            // Broken framing, such as bad chunked encoding, or a large body arriving too slowly (408).
            turn?.Dispose();
            throw new FrameException(e.StatusCode, "Unreadable request body", e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            turn?.Dispose();
            // The connection is broken (reset): end it here. Kestrel would otherwise try to drain the rest of the body
            // from a reader its failed read left "in progress", and log that as an error with a stack trace.
            request.HttpContext.Abort();
            throw new FrameException(StatusCodes.Status400BadRequest, "Unreadable request body", "the request body ended early or the client went away");
        }
    }

    /// <summary>
    /// JSON (<c>application/json</c>, <c>text/json</c>, <c>application/*+json</c>) or CSV (<c>text/csv</c>), in UTF-8;
    /// else a 415 naming what was sent.
    /// </summary>
    public static BodyFormat FormatOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) throw UnsupportedMediaType(contentType);
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
        BodyFormat format;
        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            format = BodyFormat.Json;
        else if (mediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            format = BodyFormat.Csv;
        else
            throw UnsupportedMediaType(contentType);
        // The body is read as UTF-8 (RFC 8259 for JSON; MLflow's scoring server refuses other charsets for both).
        return semicolon < 0 || IsUtf8(contentType.AsSpan(semicolon + 1)) ? format : throw UnsupportedMediaType(contentType);
    }

    private static bool IsUtf8(ReadOnlySpan<char> parameters)
    {
        var charset = parameters.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (charset < 0) return true;
        var value = parameters[(charset + "charset=".Length)..].Trim().Trim('"');
        var end = value.IndexOf(';');
        if (end >= 0) value = value[..end].TrimEnd().Trim('"');
        return value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || value.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True for <c>Content-Encoding: gzip</c>; false for none (or identity); a 415 for any other coding.</summary>
    public static bool IsGzip(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)) return false;
        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) return true;
        throw new FrameException(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
            $"Content-Encoding '{FrameException.Quote(encoding)}' is not supported: send gzip, or no encoding");
    }

    public static FrameException UnsupportedMediaType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
            $"send the frame as JSON (Content-Type: application/json) or CSV (text/csv), in UTF-8 (got {(string.IsNullOrEmpty(contentType) ? "no Content-Type" : $"'{FrameException.Quote(contentType)}'")})");

    public static FrameException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the request body is over {maxBytes} bytes (MAX_BODY_BYTES)");
}
