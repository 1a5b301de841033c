namespace PurchasePredict.NativeLightGbm;

/// <summary>A call into lib_lightgbm returned an error; the message is LightGBM's own.</summary>
public sealed class NativeLightGbmException(string message) : Exception(message);
