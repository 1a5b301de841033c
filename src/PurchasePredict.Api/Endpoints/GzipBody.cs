using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>
/// A <c>Content-Encoding: gzip</c> body, inflated with MAX_BODY_BYTES applied to what it inflates to, and at most
/// <see cref="MaxRatio"/> times its own size: a small "gzip bomb" is refused after a bounded amount of work and memory.
/// </summary>
public static class GzipBody
{
    /// <summary>
    /// JSON frames compress 5 to 20 times, and very repetitive ones about 100 times; more is a bomb, not a frame
    /// (and such a body can be sent uncompressed).
    /// </summary>
    public const int MaxRatio = 100;

    public static ReadOnlySequence<byte> Inflate(ReadOnlySequence<byte> compressed, long maxBytes)
    {
        var limit = Math.Min(maxBytes, compressed.Length * MaxRatio);
        using var gzip = new GZipStream(PipeReader.Create(compressed).AsStream(), CompressionMode.Decompress);
        var buffer = new byte[(int)Math.Min(limit + 1, Math.Max(4096, compressed.Length * 4))];
        var length = 0;
        try
        {
            int read;
            while ((read = gzip.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length > limit)
                    throw new FrameException(StatusCodes.Status413PayloadTooLarge, "Request body too large", limit == maxBytes
                        ? $"the gzip request body inflates to more than {maxBytes} bytes (MAX_BODY_BYTES)"
                        : $"the gzip request body inflates to more than {MaxRatio} times its {compressed.Length} bytes");
                if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(limit + 1, 2L * buffer.Length));
            }
        }
        catch (InvalidDataException e)
        {
            throw new FrameException(StatusCodes.Status400BadRequest, "Malformed gzip body", FrameException.Quote(e.Message));
        }
        return new ReadOnlySequence<byte>(buffer, 0, length);
    }
}
