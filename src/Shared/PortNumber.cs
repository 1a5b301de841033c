using System.Globalization;

// The one rule for a TCP port, shared by the service's PORT (compiled into PurchasePredict.Workers and
// PurchasePredict.Api) and the pipeline (build/, #loaded by Cake), whose servicePort becomes that PORT:
// a whole number from 1 to 65535, digits only (surrounding blanks allowed). No namespace: Cake's script
// compiler rejects namespace declarations; internal, so each assembly has its own copy of the one rule.
internal static class PortNumber
{
    public const int Min = 1;
    public const int Max = 65535;

    public static bool IsValid(int port) => port is >= Min and <= Max;

    public static bool TryParse(string? text, out int port) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) && IsValid(port);
}
