#nullable enable
using System.Linq;

// The service needs a model to load: MODEL_URI, or the tutorial's MLFLOW_SERVER, MLFLOW_REGISTRY_NAME and
// ENV (the registered model at that alias or stage), as src/PurchasePredict.Api/Settings/ApiSettings.cs
// reads them. Checked with the other settings, so a deploy never installs a service that can only fail.
public static class ServiceModel
{
    private static readonly string[] Registry = ["MLFLOW_SERVER", "MLFLOW_REGISTRY_NAME", "ENV"];

    public static void Check(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Secret> secrets)
    {
        bool IsSet(string name) => secrets.TryGetValue(name, out var secret) ? secret.Value.Length > 0 : values.TryGetValue(name, out var value) && value.Length > 0;
        if (IsSet("MODEL_URI") || Registry.All(IsSet))
        {
            return;
        }
        var missing = Registry.Where(name => !IsSet(name)).ToList();
        throw new SettingsException(
            $"The env file names no model: set MODEL_URI, or {string.Join(", ", Registry)} (missing: {string.Join(", ", missing)}), in deploy.env of the environment file or in the secrets file.");
    }
}
