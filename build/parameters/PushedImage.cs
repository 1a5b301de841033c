#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

// What Push pushed, written to artifacts/image.json: Deploy deploys Reference (by digest), so every
// VM runs exactly the bytes that were tested, whatever the moving tag points at later.
public sealed record PushedImage(
    string Repository,
    string Digest,
    string Commit,
    string Branch,
    string Environment,
    IReadOnlyList<string> Tags,
    DateTimeOffset PushedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Reference => $"{Repository}@{Digest}";

    public void Write(string path)
    {
        var document = new Dictionary<string, object>
        {
            ["repository"] = Repository,
            ["digest"] = Digest,
            ["reference"] = Reference,
            ["commit"] = Commit,
            ["branch"] = Branch,
            ["environment"] = Environment,
            ["tags"] = Tags,
            ["pushedAt"] = PushedAt,
        };
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(document, Json) + "\n");
    }

    public static PushedImage Read(string path) =>
        System.IO.File.Exists(path)
            ? JsonSerializer.Deserialize<PushedImage>(System.IO.File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.")
            : throw new FileNotFoundException($"{path} does not exist: run the Push target first.", path);
}
