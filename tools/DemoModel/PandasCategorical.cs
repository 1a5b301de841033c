using System.Text;

namespace DemoModel;

/// <summary>
/// What Python's lightgbm does with pandas string columns: <c>astype("category")</c> gives categories sorted
/// ascending and codes = position (missing = -1, passed to LightGBM as NaN); after training,
/// <c>Booster.save_model</c> appends <c>pandas_categorical:</c> + <c>json.dumps(lists)</c>.
/// </summary>
internal sealed class PandasCategorical
{
    private readonly List<string[]> _categories;

    public PandasCategorical(IReadOnlyList<IEnumerable<string?>> columns)
    {
        _categories = columns
            .Select(column => column.OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray())
            .ToList();
    }

    /// <summary>The code of <paramref name="value"/> in categorical column <paramref name="column"/>, NaN when missing.</summary>
    public double Code(int column, string? value)
    {
        if (value is null)
        {
            return double.NaN;
        }

        var code = Array.BinarySearch(_categories[column], value, StringComparer.Ordinal);
        return code >= 0 ? code : throw new ArgumentException($"'{value}' is not a category of column {column}");
    }

    /// <summary>The text Python appends to the model file: <c>"\npandas_categorical:" + json.dumps(...) + "\n"</c>.</summary>
    public string ModelFileSuffix()
    {
        // json.dumps defaults: ", " between items, ASCII-only strings.
        var lists = _categories.Select(list => "[" + string.Join(", ", list.Select(PythonJson.String)) + "]");
        return "\npandas_categorical:[" + string.Join(", ", lists) + "]\n";
    }
}

/// <summary>Python's <c>json.dumps</c> for a string (ensure_ascii=True).</summary>
internal static class PythonJson
{
    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
