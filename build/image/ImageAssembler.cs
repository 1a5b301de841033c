#nullable enable
using System.Linq;
using System.Text.Json.Nodes;

// The image of one commit, assembled as an OCI layout from its inputs and nothing else: the base's
// layers and config as docker saved them (pinned by the base's ID), one layer of the published files
// (LayerArchive), and a config made of the base's, ops/Dockerfile's metadata and the labels, with the
// commit's time as its only time. The same inputs give the same bytes, so the same manifest digest.
public static class ImageAssembler
{
    public static BuiltImage Assemble(BaseImageArchive baseImage, DockerfileSpec spec, string publish, IReadOnlyDictionary<string, string> labels, DateTimeOffset time, string directory)
    {
        var layout = OciLayout.Create(directory);
        var layers = new List<Descriptor>();
        var diffIds = baseImage.DiffIds;
        for (var i = 0; i < baseImage.Layers.Count; i++)
        {
            var path = baseImage.Layers[i];
            var (layer, diffId) = layout.AddLayer(output => { using var tar = System.IO.File.OpenRead(path); tar.CopyTo(output); });
            layers.Add(diffId == diffIds[i] ? layer : throw new InvalidOperationException($"{path}: its digest is {diffId}, but the base's config lists {diffIds[i]}."));
        }
        var (app, appDiffId) = layout.AddLayer(output => LayerArchive.Write(publish, spec.CopyDestination, spec.Owner, spec.Group, time, output));
        var config = layout.AddJson(OciLayout.ConfigType, Config(baseImage.Config, spec, labels, time, [.. diffIds, appDiffId]));
        var manifest = layout.AddManifest(config, [.. layers, app]);
        return new BuiltImage(directory, manifest.Digest, config.Digest, labels);
    }

    // The image config (https://github.com/opencontainers/image-spec/blob/main/config.md), with the
    // fields docker reads (Healthcheck is docker's). Keys keep the base's order, then ours: the JSON is
    // the same text every time.
    public static JsonObject Config(JsonObject baseConfig, DockerfileSpec spec, IReadOnlyDictionary<string, string> labels, DateTimeOffset time, IReadOnlyList<string> diffIds)
    {
        var container = baseConfig["config"]?.DeepClone() as JsonObject ?? new JsonObject();
        var environment = (container["Env"] as JsonArray)?.Select(e => e!.GetValue<string>()).ToList() ?? [];
        foreach (var (name, value) in spec.Environment)
        {
            environment.RemoveAll(e => e.StartsWith(name + "=", StringComparison.Ordinal));
            environment.Add($"{name}={value}");
        }
        container["Env"] = Strings(environment);
        if (spec.WorkingDirectory is { } directory)
        {
            container["WorkingDir"] = directory;
        }
        if (spec.User is { } user)
        {
            container["User"] = user;
        }
        if (spec.ExposedPorts.Count > 0)
        {
            var ports = (container["ExposedPorts"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
            container["ExposedPorts"] = new JsonObject(ports.Union(spec.ExposedPorts).Order(StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject())));
        }
        if (spec.Healthcheck is { } check)
        {
            container["Healthcheck"] = Healthcheck(check);
        }
        if (spec.Entrypoint is { } entrypoint)
        {
            // As docker build does: a new entrypoint drops the base's command.
            container["Entrypoint"] = Strings(entrypoint);
            container["Cmd"] = null;
        }
        var allLabels = (container["Labels"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "") ?? [];
        foreach (var (name, value) in labels)
        {
            allLabels[name] = value;
        }
        container["Labels"] = new JsonObject(allLabels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));

        var created = Timestamp(time);
        var history = baseConfig["history"]?.DeepClone() as JsonArray ?? [];
        history.Add(new JsonObject
        {
            ["created"] = created,
            ["created_by"] = $"COPY --chown={spec.Owner}:{spec.Group} . {spec.CopyDestination}/ (build/image/ImageAssembler.cs)",
        });
        var config = new JsonObject
        {
            ["created"] = created,
            ["architecture"] = baseConfig["architecture"]?.DeepClone() ?? "amd64",
            ["os"] = baseConfig["os"]?.DeepClone() ?? "linux",
        };
        if (baseConfig["variant"] is { } variant)
        {
            config["variant"] = variant.DeepClone();
        }
        config["config"] = container;
        config["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = Strings(diffIds) };
        config["history"] = history;
        return config;
    }

    // RFC 3339 in UTC, to the second: the form of the commit's time in labels and the config.
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Healthcheck(Healthcheck check)
    {
        var json = new JsonObject { ["Test"] = Strings(check.Test) };
        // Zero means docker's default, which docker build leaves out too.
        if (check.Interval > 0) json["Interval"] = check.Interval;
        if (check.Timeout > 0) json["Timeout"] = check.Timeout;
        if (check.StartPeriod > 0) json["StartPeriod"] = check.StartPeriod;
        if (check.Retries > 0) json["Retries"] = check.Retries;
        return json;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
