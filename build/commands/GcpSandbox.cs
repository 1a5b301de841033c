#nullable enable
using System.Globalization;

// gcp-sandbox command lines: the sandbox's stand-ins for the GCP project's services
// (tools/PurchasePredict.GcpSandbox/README.md describes each command, its options and its ready line).
public static class GcpSandbox
{
    // What `gcloud iam service-accounts keys create OUT --iam-account=ACCOUNT` does; OUT is never overwritten.
    public static ShellCommand CreateKey(string dll, string state, string account, string tokenUri, string output) =>
        Of(dll, "create-key", "--state", state, "--account", account, "--token-uri", tokenUri, "--out", output);

    public static ShellCommand OAuth(string dll, string state, int port) =>
        Of(dll, "oauth", "--state", state, "--port", Number(port));

    // A machine's metadata server: its service account's key stays there; its tokens carry exactly these scopes.
    public static ShellCommand Metadata(string dll, string keyFile, string scopes, int port) =>
        Of(dll, "metadata", "--key", keyFile, "--scopes", scopes, "--port", Number(port));

    public static ShellCommand RegistryAuth(string dll, string state, string tokenInfo, string service, string readers, string writers, int port) =>
        Of(dll, "registry-auth", "--state", state, "--tokeninfo", tokenInfo, "--service", service, "--readers", readers, "--writers", writers, "--port", Number(port));

    public static ShellCommand Mlflow(string dll, string state, int port) =>
        Of(dll, "mlflow", "--state", state, "--port", Number(port));

    // The line each prints on stdout once it serves.
    public static string ReadyLine(string command, int port) => $"{command} ready on http://127.0.0.1:{Number(port)}";

    private static ShellCommand Of(string dll, params string[] arguments) => ShellCommand.Of("dotnet", [dll, .. arguments]);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
