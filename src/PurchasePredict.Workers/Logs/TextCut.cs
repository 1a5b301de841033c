namespace PurchasePredict.Workers.Logs;

/// <summary>Long text cut with a marker that says how much was left out, for log fields and error messages.</summary>
public static class TextCut
{
    public static string Cut(string text, int maxChars) =>
        text.Length <= maxChars ? text : $"{text.AsSpan(0, maxChars)}...[{text.Length - maxChars} more chars]";
}
