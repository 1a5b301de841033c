namespace PurchasePredict.Api.Oip;

/// <summary>What an inference request asks: <see cref="Rows"/> rows of features in the model's order (row-major, NaN = missing), its id, and which outputs.</summary>
internal sealed record InferRequest(string? Id, double[] Values, int Rows, IReadOnlyList<InferOutput> Outputs);
