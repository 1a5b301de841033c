namespace PurchasePredict.Api.Loading;

/// <summary>The served model: empty until loading finishes (/health/ready answers 503 until then).</summary>
public sealed class ModelHolder
{
    private volatile LoadedModel? _current;

    public LoadedModel? Current => _current;

    /// <summary>Set when loading failed; the process then stops with <see cref="ExitCodes.ModelLoadFailed"/>.</summary>
    public string? LoadFailure { get; private set; }

    public void Set(LoadedModel model) => _current = model;

    public void Fail(string reason) => LoadFailure = reason;
}
