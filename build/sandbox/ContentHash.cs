#nullable enable
using System.Linq;
using System.Security.Cryptography;
using System.Text;

// What a sandbox build is made from, as a short hash: its tag or folder name, so changed inputs build
// anew and unchanged ones are reused at once (the VM image, gcp-sandbox).
public static class ContentHash
{
    // seed, then each file's name (relative to root) and content, in ordinal order of name: 12 hex digits.
    public static string Of(string seed, string root, IEnumerable<string> files)
    {
        var inputs = new StringBuilder(seed);
        foreach (var file in files.Select(f => (Name: System.IO.Path.GetRelativePath(root, f), Path: f)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            inputs.Append(file.Name).Append(System.IO.File.ReadAllText(file.Path));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..12].ToLowerInvariant();
    }
}
