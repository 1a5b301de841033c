using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// A request that cannot be answered with predictions, most often because its body is not a usable frame.
/// Carries what the client needs to fix it: the HTTP status (400, 413, 415; 503 while the model loads), a short
/// title, and the column and row (pandas index label) at fault. /predict writes it as RFC 7807, /invocations as MLflow's error.
/// Text quoted from the request is cut (<see cref="Quote"/>), so an answer never grows with the request.
/// </summary>
public sealed class FrameException(int status, string title, string detail, string? column = null, string? row = null)
    : Exception(detail)
{
    /// <summary>How much of a client's text an error message quotes.</summary>
    public const int QuotedChars = 80;

    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Column { get; } = column;

    public string? Row { get; } = row;

    public static FrameException Malformed(string detail) => new(400, "Malformed JSON", Quote(detail, 4 * QuotedChars));

    public static FrameException Shape(string detail) => new(400, "Unsupported frame shape", detail);

    public static FrameException Empty(string detail) => new(400, "Empty frame", detail);

    public static FrameException MissingColumn(string column) =>
        new(400, "Missing model feature", $"column '{column}' is a model feature and is missing from the frame", column);

    public static FrameException DuplicateColumn(string column) =>
        new(400, "Duplicate column", $"column '{column}' appears twice", column);

    public static FrameException DuplicateKey(string detail, string? column = null, string? row = null) =>
        new(400, "Duplicate key", detail, column, row);

    public static FrameException BadValue(string column, string row, string detail) =>
        new(400, "Invalid value", $"column '{column}', row {Quote(row)}: {detail}", column, row);

    public static FrameException TooManyRows(int maxRows) =>
        new(413, "Too many rows", $"the frame has more than {maxRows} rows (MAX_ROWS)");

    public static FrameException FrameTooLarge(FrameLimits limits, int featureCount, int rows) =>
        new(413, "Frame too large",
            $"{rows} rows of {featureCount} values and {limits.OutputsPerRow} outputs take more than {limits.MaxFrameBytes} bytes " +
            $"(MAX_FRAME_BYTES, {limits.RowBytes(featureCount)} bytes per row); send fewer rows per request");

    public static FrameException LabelTooLong() =>
        new(400, "Row label too long", $"a row label is longer than the limit of {RowLabels.MaxLabelBytes} bytes (UTF-8)");

    /// <summary>The text, cut to <paramref name="chars"/> characters with a marker saying how much was left out.</summary>
    public static string Quote(string text, int chars = QuotedChars) => TextCut.Cut(text, chars);
}
