namespace PurchasePredict.Api.Frames;

/// <summary>
/// What one request's frame may cost: at most <see cref="MaxRows"/> rows (MAX_ROWS), and at most
/// <see cref="MaxFrameBytes"/> (MAX_FRAME_BYTES) for its values and the model's outputs, 8 bytes each,
/// <see cref="OutputsPerRow"/> outputs per row. Checked as each row is added, so memory never grows past them.
/// </summary>
public readonly record struct FrameLimits(int MaxRows, long MaxFrameBytes, int OutputsPerRow)
{
    /// <summary>The bytes a row of <paramref name="featureCount"/> values and its outputs take.</summary>
    public long RowBytes(int featureCount) => (long)(featureCount + OutputsPerRow) * sizeof(double);
}
