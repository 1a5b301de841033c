namespace PurchasePredict.Api.Frames;

/// <summary>
/// A request body that is not a usable frame. Carries what the client needs to fix it:
/// the HTTP status (400 or 413), a short title, and the column and row (pandas index label) at fault.
/// </summary>
public sealed class FrameException(int status, string title, string detail, string? column = null, string? row = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Column { get; } = column;

    public string? Row { get; } = row;

    public static FrameException Malformed(string detail) => new(400, "Malformed JSON", detail);

    public static FrameException Shape(string detail) => new(400, "Unsupported frame shape", detail);

    public static FrameException Empty(string detail) => new(400, "Empty frame", detail);

    public static FrameException MissingColumn(string column) =>
        new(400, "Missing model feature", $"column '{column}' is a model feature and is missing from the frame", column);

    public static FrameException BadValue(string column, string row, string detail) =>
        new(400, "Invalid value", $"column '{column}', row {row}: {detail}", column, row);

    public static FrameException TooManyRows(int maxRows) =>
        new(413, "Too many rows", $"the frame has more than {maxRows} rows (MAX_ROWS)");
}
