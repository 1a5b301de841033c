using PurchasePredict.GcpSandbox;
using PurchasePredict.GcpSandbox.Accounts;
using PurchasePredict.GcpSandbox.Metadata;
using PurchasePredict.GcpSandbox.Mlflow;
using PurchasePredict.GcpSandbox.OAuth;
using PurchasePredict.GcpSandbox.Registry;

// One command per stand-in; README.md describes each, its options and its readiness line.
const string Usage = "usage: gcp-sandbox create-key|oauth|metadata|mlflow|registry-auth [--option value]...  (see tools/PurchasePredict.GcpSandbox/README.md)";
try
{
    var rest = args.Skip(1).ToArray();
    switch (args.FirstOrDefault())
    {
        case "create-key":
            return CreateKeyCommand.Run(Options.Parse(rest, CreateKeyCommand.Names));
        case "oauth":
            await OAuthServer.RunAsync(Options.Parse(rest, OAuthServer.Names));
            return 0;
        case "metadata":
            await MetadataServer.RunAsync(Options.Parse(rest, MetadataServer.Names));
            return 0;
        case "mlflow":
            await MlflowServer.RunAsync(Options.Parse(rest, MlflowServer.Names));
            return 0;
        case "registry-auth":
            await RegistryAuthServer.RunAsync(Options.Parse(rest, RegistryAuthServer.Names));
            return 0;
        default:
            await Console.Error.WriteLineAsync(Usage);
            return 2;
    }
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"gcp-sandbox {args.FirstOrDefault()}: {e.Message}");
    return 2;
}
catch (IOException e)
{
    // Most often: the port is taken.
    await Console.Error.WriteLineAsync($"gcp-sandbox {args.FirstOrDefault()}: {e.Message}");
    return 1;
}
