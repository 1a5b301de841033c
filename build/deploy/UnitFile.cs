#nullable enable
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

// Renders the systemd unit (ops/purchase_predict_api.service) for one host and one image.
public static class UnitFile
{
    private static readonly Regex Placeholder = new(@"\{\{([A-Z_]+)\}\}", RegexOptions.Compiled);

    public static string Render(string template, DeploySettings settings, DeployHost host, PushedImage image)
    {
        var values = new Dictionary<string, string>
        {
            ["HOST"] = host.Name,
            ["COMMIT"] = image.Commit,
            ["IMAGE"] = image.Reference,
            ["NETWORK"] = NetworkArguments(settings, host),
            ["CONTAINER"] = string.Concat(settings.ContainerArguments.Select(argument => " " + argument)),
            ["GRACEFUL_TIMEOUT"] = Number(settings.GracefulTimeoutSeconds),
            // systemd must not kill `docker stop` before docker's own timeout has run out.
            ["STOP_TIMEOUT"] = Number(settings.GracefulTimeoutSeconds + 15),
        };
        return Placeholder.Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new SettingsException($"ops/purchase_predict_api.service: unknown placeholder {m.Value}."));
    }

    // Host networking: the container binds the host's port itself (PORT in the env file).
    public static string NetworkArguments(DeploySettings settings, DeployHost host) => settings.Network switch
    {
        ContainerNetwork.Host => "--network host",
        _ => $"--publish {Number(host.ServicePort)}:{Number(settings.ContainerPort)}",
    };

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
