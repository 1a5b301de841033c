namespace PurchasePredict.Api.Loading;

/// <summary>The model could not be fetched or read; the message says from where and why, on one line.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
