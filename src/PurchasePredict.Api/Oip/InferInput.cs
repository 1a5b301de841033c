namespace PurchasePredict.Api.Oip;

/// <summary>
/// One input tensor's header, read before its data: its name (the model feature it names, or -1), shape and datatype,
/// and where its <c>data</c> array lies in the body, so the data is read once the layout of the whole request is known.
/// </summary>
internal sealed record InferInput(string Name, int Feature, long[] Shape, TensorDatatype Datatype, long DataStart, long DataEnd)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
