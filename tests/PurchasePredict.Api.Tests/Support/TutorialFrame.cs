using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>The tutorial's request (models/demo/request.json) as a frame: columns, row labels, cells; and as CSV.</summary>
public static class TutorialFrame
{
    public static JsonObject Columns() => JsonNode.Parse(JsonNode.Parse(File.ReadAllText(Repo.DemoRequest))!.GetValue<string>())!.AsObject();

    /// <summary>What pandas' <c>df.to_csv()</c> writes for it: the index as a first, unnamed column; missing cells empty.</summary>
    public static string Csv()
    {
        var frame = Columns();
        var columns = frame.Select(c => c.Key).ToArray();
        var labels = frame[columns[0]]!.AsObject().Select(r => r.Key).ToArray();
        var csv = new StringBuilder("," + string.Join(",", columns) + "\n");
        foreach (var label in labels)
            csv.Append(label).Append(',').AppendJoin(",", columns.Select(c => Cell(frame[c]![label]))).Append('\n');
        return csv.ToString();
    }

    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonValue v => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"not a cell: {value}"),
    };
}
