#nullable enable
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

// A content-addressed blob as manifests point to it.
public sealed record Descriptor(string MediaType, string Digest, long Size)
{
    public JsonObject ToJson() => new() { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };

    public static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}

// An OCI image layout on disk (https://github.com/opencontainers/image-spec/blob/main/image-layout.md):
// oci-layout, index.json and blobs/sha256/<hex>. What the Image step writes and skopeo pushes as it is,
// so the digest computed here is the digest the registry serves.
public sealed class OciLayout
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string ConfigType = "application/vnd.oci.image.config.v1+json";
    public const string LayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

    private OciLayout(string directory) => Directory = directory;

    public string Directory { get; }

    // An empty layout in directory (whatever was there before is gone).
    public static OciLayout Create(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(directory, "blobs", "sha256"));
        System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new OciLayout(directory);
    }

    public string BlobPath(string digest) => System.IO.Path.Combine(Directory, "blobs", "sha256", digest["sha256:".Length..]);

    public Descriptor AddJson(string mediaType, JsonNode json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        var descriptor = new Descriptor(mediaType, Descriptor.DigestOf(bytes), bytes.Length);
        System.IO.File.WriteAllBytes(BlobPath(descriptor.Digest), bytes);
        return descriptor;
    }

    // A gzip-compressed layer from the uncompressed tar that write produces; also its DiffID (the digest
    // of the uncompressed tar, what the image config lists). .NET's gzip writes no time or name in its header.
    public (Descriptor Layer, string DiffId) AddLayer(Action<System.IO.Stream> write)
    {
        var temporary = System.IO.Path.Combine(Directory, "blobs", "layer.partial");
        using var compressedHash = SHA256.Create();
        using var tarHash = SHA256.Create();
        long size;
        using (var file = System.IO.File.Create(temporary))
        {
            using (var compressed = new CryptoStream(file, compressedHash, CryptoStreamMode.Write, leaveOpen: true))
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal))
            using (var tar = new CryptoStream(gzip, tarHash, CryptoStreamMode.Write))
            {
                write(tar);
            }
            size = file.Length;
        }
        var layer = new Descriptor(LayerType, "sha256:" + Convert.ToHexStringLower(compressedHash.Hash!), size);
        System.IO.File.Move(temporary, BlobPath(layer.Digest), overwrite: true);
        return (layer, "sha256:" + Convert.ToHexStringLower(tarHash.Hash!));
    }

    public Descriptor AddManifest(Descriptor config, IEnumerable<Descriptor> layers)
    {
        var manifest = AddJson(ManifestType, new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = config.ToJson(),
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)l.ToJson()).ToArray()),
        });
        System.IO.File.WriteAllText(System.IO.Path.Combine(Directory, "index.json"),
            new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(manifest.ToJson()) }.ToJsonString());
        return manifest;
    }

    // The image a layout holds: its manifest's digest, its config's digest (docker's image ID) and
    // labels. Null when there is no layout, or not one with a single image.
    public static BuiltImage? Read(string directory)
    {
        var index = System.IO.Path.Combine(directory, "index.json");
        if (!System.IO.File.Exists(index))
        {
            return null;
        }
        var layout = new OciLayout(directory);
        if (JsonNode.Parse(System.IO.File.ReadAllText(index))?["manifests"] is not JsonArray { Count: 1 } manifests
            || manifests[0]?["digest"]?.GetValue<string>() is not { } digest
            || !System.IO.File.Exists(layout.BlobPath(digest)))
        {
            return null;
        }
        var configDigest = JsonNode.Parse(System.IO.File.ReadAllBytes(layout.BlobPath(digest)))?["config"]?["digest"]?.GetValue<string>();
        if (configDigest is null || !System.IO.File.Exists(layout.BlobPath(configDigest)))
        {
            return null;
        }
        var labels = JsonNode.Parse(System.IO.File.ReadAllBytes(layout.BlobPath(configDigest)))?["config"]?["Labels"]?.AsObject()
            .ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "") ?? [];
        return new BuiltImage(directory, digest, configDigest, labels);
    }
}

// An image the Image step assembled: where its layout is, its manifest digest (what the registry
// serves for its tags) and its config digest (what docker calls the image's ID).
public sealed record BuiltImage(string Layout, string Digest, string ConfigDigest, IReadOnlyDictionary<string, string> Labels);
