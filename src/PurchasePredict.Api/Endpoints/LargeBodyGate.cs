using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using PurchasePredict.Api.Frames;
using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Endpoints;

/// <summary>
/// At most MAX_LARGE_REQUESTS requests with a large body (over <see cref="LargeBodyBytes"/>, or gzip) are read and
/// parsed at once in a worker; the others wait their turn, up to <see cref="Wait"/>, then get a 503 with Retry-After.
/// One such request may cost tens of megabytes (src/PurchasePredict.Api/README.md, "Memory per request"), so this is
/// what keeps a worker's memory within its share of the container's limit whatever the clients send at once. A small
/// body (the tutorial's is 2 KB) never waits. A large body must also arrive at <see cref="MinBytesPerSecond"/> at
/// least, or Kestrel cuts it: a slow client cannot hold the gate for hours.
/// </summary>
public sealed class LargeBodyGate(ApiSettings settings, TimeSpan wait)
{
    public const long LargeBodyBytes = 1024 * 1024;

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public const double MinBytesPerSecond = 64 * 1024;

    private readonly SemaphoreSlim _slots = new(settings.MaxLargeRequests, settings.MaxLargeRequests);

    public LargeBodyGate(ApiSettings settings) : this(settings, Wait)
    {
    }

    /// <summary>Whether a body of this many bytes (so far, or announced) is large.</summary>
    public static bool IsLarge(long bytes) => bytes > LargeBodyBytes;

    /// <summary>Waits for a turn; the returned lease gives it back. A 503 after <see cref="Wait"/>.</summary>
    public async ValueTask<IDisposable> EnterAsync(HttpContext context)
    {
        if (!await _slots.WaitAsync(wait, context.RequestAborted))
            throw new FrameException(StatusCodes.Status503ServiceUnavailable, "Too many large requests",
                $"{settings.MaxLargeRequests} requests with bodies over {LargeBodyBytes} bytes are being read in this worker (MAX_LARGE_REQUESTS); try again");
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            rate.MinDataRate = new MinDataRate(MinBytesPerSecond, TimeSpan.FromSeconds(5));
        return new Lease(_slots);
    }

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
