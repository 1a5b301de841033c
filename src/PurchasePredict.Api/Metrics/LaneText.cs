using System.Runtime.InteropServices;
using System.Text;
using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Api.Metrics;

/// <summary>
/// A short UTF-8 text in a lane (the model's identity), which other processes read while its worker may rewrite it:
/// a sequence number, odd while a write is under way (a seqlock), then the length and the bytes.
/// </summary>
public static class LaneText
{
    public static int Words(int maxBytes) => 2 + (maxBytes + 7) / 8;

    public static void Write(MetricsSegment segment, int offset, string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var length = Math.Min(bytes.Length, maxBytes);
        ref var sequence = ref segment.Own(offset);
        Interlocked.Increment(ref sequence);
        bytes.AsSpan(0, length).CopyTo(Bytes(ref segment.Own(offset + 2), maxBytes));
        Volatile.Write(ref segment.Own(offset + 1), length);
        Interlocked.Increment(ref sequence);
    }

    /// <summary>The text, or null when none was written (or it kept changing while read).</summary>
    public static string? Read(MetricsSegment segment, int lane, int offset, int maxBytes)
    {
        Span<byte> copy = stackalloc byte[maxBytes];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var before = Volatile.Read(ref segment.App(lane, offset));
            if (before == 0) return null;
            if ((before & 1) != 0) continue;
            var length = (int)Math.Clamp(Volatile.Read(ref segment.App(lane, offset + 1)), 0, maxBytes);
            Bytes(ref segment.App(lane, offset + 2), maxBytes)[..length].CopyTo(copy);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref segment.App(lane, offset)) == before) return Encoding.UTF8.GetString(copy[..length]);
        }
        return null;
    }

    private static Span<byte> Bytes(ref long first, int maxBytes) =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref first, (maxBytes + 7) / 8))[..maxBytes];
}
