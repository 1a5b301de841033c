using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace PurchasePredict.Workers.Logs;

/// <summary>
/// Hides credentials in text that is logged or put in an error: the user info of URLs (<c>http://user:pass@host</c>),
/// every query value of a URL (signed URLs carry their signature and credential there), <c>Bearer</c>/<c>Basic</c>
/// tokens, and values of keys named like secrets (<c>password=</c>, <c>"private_key": "..."</c>, <c>token:</c>).
/// Text with none of the trigger words is returned as is after one vectorized search, so the request log pays
/// almost nothing for it.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        ["://", "bearer", "basic ", "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "private_key",
         "signature", "sig=", "credential"],
        StringComparison.OrdinalIgnoreCase);

    public static string Text(string text) =>
        text.AsSpan().IndexOfAny(Triggers) < 0
            ? text
            : SecretValue().Replace(AuthorizationToken().Replace(Url().Replace(text, static m => RedactUrl(m.Value)), $"$1 {Mask}"), RedactValue);

    public static string Uri(Uri uri) => Text(uri.OriginalString);

    /// <summary>User info and query values of one URL; the scheme, host, port, path and query keys stay readable.</summary>
    private static string RedactUrl(string url)
    {
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var redacted = new StringBuilder(url.Length);
        redacted.Append(url, 0, authorityStart);
        if (at >= 0) redacted.Append(Mask).Append('@').Append(url, at + 1, authorityEnd - at - 1);
        else redacted.Append(url, authorityStart, authorityEnd - authorityStart);
        var query = url.IndexOf('?', authorityEnd);
        if (query < 0) return redacted.Append(url, authorityEnd, url.Length - authorityEnd).ToString();
        redacted.Append(url, authorityEnd, query + 1 - authorityEnd);
        var fragment = url.IndexOf('#', query);
        var end = fragment < 0 ? url.Length : fragment;
        var parameters = url[(query + 1)..end].Split('&');
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0) redacted.Append('&');
            var equals = parameters[i].IndexOf('=');
            redacted.Append(equals < 0 ? parameters[i] : $"{parameters[i][..equals]}={Mask}");
        }
        return redacted.Append(url, end, url.Length - end).ToString();
    }

    private static string RedactValue(Match match) =>
        $"{match.Groups["key"].Value}{match.Groups["separator"].Value}{Mask}{(match.Groups["quoted"].Success ? "\"" : "")}";

    [GeneratedRegex("""\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+""")]
    private static partial Regex Url();

    [GeneratedRegex("""\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]+""", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationToken();

    [GeneratedRegex(
        """(?<key>\b(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|api[_-]?key|private_key|signature|sig|credentials?)"?)(?:(?<separator>\s*:\s*")(?<value>[^"]*)(?<quoted>")|(?<separator>\s*[:=]\s*)(?!\*\*\*)(?<value>[^\s"&,;}]+))""",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretValue();
}
