namespace PurchasePredict.LightGbm;

/// <summary>A LightGBM text model could not be read; the message names the line or field and the problem.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message) : base(message)
    {
    }

    public ModelFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
