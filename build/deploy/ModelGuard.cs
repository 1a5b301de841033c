#nullable enable
using System.Linq;
using System.Text.Json;

// The bad-model guard: before a VM switches to a model (a Deploy's candidate, a Reload's), the model's answer to
// the environment's check request (deploy.predictRequest) must be a list of 0/1, like the tutorial's Flask app
// returns, and, when the environment lists the answers it expects (deploy.expectedAnswers), exactly those.
public static class ModelGuard
{
    // The labels of a /predict answer, or null when it is not a non-empty JSON list of 0/1.
    public static IReadOnlyList<int>? Labels(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
            {
                return null;
            }
            var labels = new List<int>();
            foreach (var element in root.EnumerateArray())
            {
                if (!element.TryGetInt32(out var label) || label is not (0 or 1))
                {
                    return null;
                }
                labels.Add(label);
            }
            return labels;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Why the answer is refused, or null when it passes.
    public static string? Refusal(string body, IReadOnlyList<int>? expected)
    {
        if (Labels(body) is not { } labels)
        {
            var answer = body.Trim();
            return $"/predict answered '{(answer.Length > 200 ? answer[..200] + "..." : answer)}', not a list of 0/1";
        }
        if (expected is null)
        {
            return null;
        }
        if (labels.Count != expected.Count)
        {
            return $"/predict answered {labels.Count} rows, the expected answers (deploy.expectedAnswers) have {expected.Count}";
        }
        var row = Enumerable.Range(0, labels.Count).FirstOrDefault(i => labels[i] != expected[i], -1);
        return row < 0 ? null : $"row {row} of the check request: /predict answered {labels[row]}, deploy.expectedAnswers says {expected[row]}";
    }

    // deploy.expectedAnswers: {"predictions": [0, 1, ...]} (models/demo/expected.json) or a bare list of 0/1.
    public static IReadOnlyList<int> ReadExpected(string path)
    {
        var text = System.IO.File.ReadAllText(path);
        string? list = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            list = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("predictions", out var predictions) ? predictions.GetRawText()
                : root.ValueKind == JsonValueKind.Array ? root.GetRawText() : null;
        }
        catch (JsonException)
        {
        }
        return (list is null ? null : Labels(list))
            ?? throw new SettingsException($"deploy.expectedAnswers: {path} holds neither a list of 0/1 nor {{\"predictions\": [0, 1, ...]}}.");
    }
}
