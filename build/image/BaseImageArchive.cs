#nullable enable
using System.Linq;
using System.Text.Json.Nodes;

// The base image as `docker save` wrote it, unpacked: its config (whose digest is docker's image ID, and
// which lists its layers' DiffIDs) and its layers, uncompressed. Docker rebuilds a saved layer byte for
// byte (that is what its DiffID checks), so the base enters the image the same way every time.
public sealed class BaseImageArchive
{
    private BaseImageArchive(string folder, string id, JsonObject config, IReadOnlyList<string> layers)
    {
        Folder = folder;
        Id = id;
        Config = config;
        Layers = layers;
    }

    public string Folder { get; }

    // sha256:<hex> of the config: the base's docker image ID.
    public string Id { get; }

    public JsonObject Config { get; }

    // The layer tars, base first, as paths inside Folder.
    public IReadOnlyList<string> Layers { get; }

    // A folder that `docker save` output was unpacked into; id is the image ID docker reported, checked here.
    public static BaseImageArchive Open(string folder, string id)
    {
        var manifest = JsonNode.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(folder, "manifest.json")))?.AsArray();
        if (manifest is not { Count: 1 } || manifest[0]?["Config"]?.GetValue<string>() is not { } configPath
            || manifest[0]?["Layers"] is not JsonArray layers)
        {
            throw new InvalidOperationException($"{folder}/manifest.json: expected one image, as `docker save` of one image writes.");
        }
        var bytes = System.IO.File.ReadAllBytes(System.IO.Path.Combine(folder, configPath));
        if (Descriptor.DigestOf(bytes) != id)
        {
            throw new InvalidOperationException($"{folder}: its config's digest is {Descriptor.DigestOf(bytes)}, not the base image's ID {id}.");
        }
        var config = JsonNode.Parse(bytes)!.AsObject();
        var paths = layers.Select(l => System.IO.Path.Combine(folder, l!.GetValue<string>())).ToList();
        var diffIds = config["rootfs"]?["diff_ids"]?.AsArray().Select(d => d!.GetValue<string>()).ToList() ?? [];
        if (diffIds.Count != paths.Count)
        {
            throw new InvalidOperationException($"{folder}: {paths.Count} layers, but the config lists {diffIds.Count}.");
        }
        return new BaseImageArchive(folder, id, config, paths);
    }

    public IReadOnlyList<string> DiffIds => Config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
}
