using System.Text.Json;

namespace PurchasePredict.LightGbm;

/// <summary>
/// Which features are categorical, and the category strings Python's lightgbm stored for them.
/// <para>
/// Categorical features are the indices in the parameters' <c>[categorical_feature: ...]</c> line (indices, or
/// <c>name:a,b</c> names). Without that line (older or hand-made files), they are the features used by
/// categorical splits. The <c>pandas_categorical:</c> line holds one list per pandas "category" column, in
/// column order; Python's <c>categorical_feature='auto'</c> makes exactly those columns the categorical
/// features, so list i belongs to the i-th categorical feature in index order. A count mismatch (e.g. ordered
/// categoricals, or extra integer categorical columns) is an error rather than a guess.
/// </para>
/// <para>Code = position in the list, as pandas' <c>cat.codes</c>; strings outside the list have no code.</para>
/// </summary>
internal static class CategoricalFeatures
{
    private const string ParameterPrefix = "[categorical_feature:";

    public static bool[] Find(ModelText text, IReadOnlyList<string> featureNames, Forest forest)
    {
        var categorical = new bool[featureNames.Count];
        var parameter = text.Parameters.FirstOrDefault(p => p.Text.StartsWith(ParameterPrefix, StringComparison.Ordinal));
        if (parameter.Text is null)
        {
            foreach (var feature in forest.CategoricalSplitFeatures())
            {
                categorical[feature] = true;
            }

            return categorical;
        }

        foreach (var feature in ParseParameter(parameter.Text, parameter.Line, featureNames))
        {
            categorical[feature] = true;
        }

        return categorical;
    }

    public static IReadOnlyList<string>?[] MapPandasCategories(ModelText text, bool[] categorical)
    {
        var result = new IReadOnlyList<string>?[categorical.Length];
        if (text.PandasCategorical is not var (json, line))
        {
            return result;
        }

        var lists = ParsePandasJson(json, line);
        if (lists.Count == 0)
        {
            return result;
        }

        var categoricalIndices = Enumerable.Range(0, categorical.Length).Where(i => categorical[i]).ToArray();
        if (lists.Count != categoricalIndices.Length)
        {
            throw new ModelFormatException(
                $"line {line} (pandas_categorical): {lists.Count} category lists, but the model has " +
                $"{categoricalIndices.Length} categorical features ({string.Join(",", categoricalIndices)}); " +
                "list i must belong to the i-th categorical feature");
        }

        for (var i = 0; i < lists.Count; i++)
        {
            result[categoricalIndices[i]] = lists[i];
        }

        return result;
    }

    private static IEnumerable<int> ParseParameter(string text, int line, IReadOnlyList<string> featureNames)
    {
        var value = text[ParameterPrefix.Length..].TrimEnd(']').Trim();
        if (value.Length == 0)
        {
            yield break;
        }

        var byName = value.StartsWith("name:", StringComparison.Ordinal);
        foreach (var token in (byName ? value["name:".Length..] : value).Split(',', StringSplitOptions.TrimEntries))
        {
            var index = byName ? IndexOfName(featureNames, token) : ParseIndex(token);
            if (index < 0 || index >= featureNames.Count)
            {
                throw new ModelFormatException(
                    $"line {line} (parameters): categorical_feature '{token}' is not one of the model's {featureNames.Count} features");
            }

            yield return index;
        }
    }

    private static int IndexOfName(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static int ParseIndex(string token) => int.TryParse(token, out var index) ? index : -1;

    private static List<IReadOnlyList<string>> ParsePandasJson(string json, int line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"line {line} (pandas_categorical): not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new ModelFormatException($"line {line} (pandas_categorical): expected null or a list of lists, found {root.ValueKind}");
            }

            var lists = new List<IReadOnlyList<string>>();
            foreach (var list in root.EnumerateArray())
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new ModelFormatException($"line {line} (pandas_categorical): list {lists.Count + 1} is a {list.ValueKind}, not a list");
                }

                lists.Add(Array.AsReadOnly(list.EnumerateArray().Select(item => CategoryText(item, line, lists.Count + 1)).ToArray()));
            }

            return lists;
        }
    }

    /// <summary>Strings as they are; numbers (integer categories) as their JSON text, e.g. <c>3</c> or <c>2.5</c>.</summary>
    private static string CategoryText(JsonElement item, int line, int listNumber) => item.ValueKind switch
    {
        JsonValueKind.String => item.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
        _ => throw new ModelFormatException($"line {line} (pandas_categorical): list {listNumber} holds a {item.ValueKind}; categories are strings or numbers"),
    };
}
