namespace PurchasePredict.LightGbm;

/// <summary>One <c>key=value</c> line of a model file, with its 1-based line number for error messages.</summary>
internal readonly record struct Field(string Key, string Value, int Line);

/// <summary>
/// A group of <c>key=value</c> lines: the model header or one <c>Tree=N</c> block.
/// Knows its own name so every error says where it happened.
/// </summary>
internal sealed class FieldBlock(string name, int line)
{
    private readonly Dictionary<string, Field> _fields = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int Line { get; } = line;

    public void Add(Field field)
    {
        if (!_fields.TryAdd(field.Key, field))
        {
            throw Error(field.Line, $"'{field.Key}' appears twice (first on line {_fields[field.Key].Line})");
        }
    }

    public bool Contains(string key) => _fields.ContainsKey(key);

    public Field? Find(string key) => _fields.TryGetValue(key, out var field) ? field : null;

    public Field Require(string key) =>
        Find(key) ?? throw new ModelFormatException($"{Name} (line {Line}): required field '{key}' is missing");

    public ModelFormatException Error(int line, string problem) => new($"line {line} ({Name}): {problem}");

    public ModelFormatException Error(Field field, string problem) => Error(field.Line, $"'{field.Key}' {problem}");
}

/// <summary>
/// The sections of a LightGBM text model (what <c>Booster.save_model</c> writes): the header, the
/// <c>Tree=N</c> blocks, the <c>parameters:</c> section and Python's trailing <c>pandas_categorical:</c> line.
/// Only splits the text; <see cref="LightGbmModel.Parse"/> gives the fields meaning.
/// </summary>
internal sealed class ModelText
{
    private const string TreePrefix = "Tree=";
    private const string PandasPrefix = "pandas_categorical:";

    public required FieldBlock Header { get; init; }

    public required IReadOnlyList<FieldBlock> Trees { get; init; }

    /// <summary>Lines between <c>parameters:</c> and <c>end of parameters</c>, e.g. <c>[categorical_feature: 1,5]</c>.</summary>
    public required IReadOnlyList<(string Text, int Line)> Parameters { get; init; }

    /// <summary>The JSON after <c>pandas_categorical:</c>, or null when the line is absent.</summary>
    public required (string Json, int Line)? PandasCategorical { get; init; }

    public static ModelText Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        var index = 0;
        var header = new FieldBlock("model header", 1);
        for (; index < lines.Length && !IsTreeStart(lines[index]) && !IsEndOfTrees(lines[index]); index++)
        {
            if (lines[index].Length > 0)
            {
                header.Add(ParseField(lines[index], index + 1, header));
            }
        }

        if (index == lines.Length)
        {
            throw new ModelFormatException(
                "not a LightGBM text model: no 'Tree=' block and no 'end of trees' line found");
        }

        var trees = new List<FieldBlock>();
        while (index < lines.Length && IsTreeStart(lines[index]))
        {
            trees.Add(ReadTree(lines, ref index, trees.Count));
            while (index < lines.Length && lines[index].Length == 0)
            {
                index++;
            }
        }

        if (index == lines.Length || !IsEndOfTrees(lines[index]))
        {
            var found = index == lines.Length ? "the end of the text" : $"'{Shorten(lines[index])}'";
            throw new ModelFormatException($"line {index + 1}: expected 'Tree=' or 'end of trees', found {found}");
        }

        var (parameters, pandas) = ReadTrailer(lines, index + 1);
        return new ModelText { Header = header, Trees = trees, Parameters = parameters, PandasCategorical = pandas };
    }

    private static bool IsTreeStart(string line) => line.StartsWith(TreePrefix, StringComparison.Ordinal);

    private static bool IsEndOfTrees(string line) => line.Trim() == "end of trees";

    private static FieldBlock ReadTree(string[] lines, ref int index, int expectedNumber)
    {
        var line = lines[index];
        if (!int.TryParse(line.AsSpan(TreePrefix.Length), out var number) || number != expectedNumber)
        {
            throw new ModelFormatException(
                $"line {index + 1}: expected 'Tree={expectedNumber}' (trees are numbered from 0 in order), found '{Shorten(line)}'");
        }

        var block = new FieldBlock($"Tree={number}", index + 1);
        for (index++; index < lines.Length && lines[index].Length > 0; index++)
        {
            block.Add(ParseField(lines[index], index + 1, block));
        }

        return block;
    }

    private static Field ParseField(string line, int lineNumber, FieldBlock block)
    {
        var equals = line.IndexOf('=');
        if (equals < 0)
        {
            // LightGBM writes bare flags such as "tree" and "average_output".
            return new Field(line.Trim(), "", lineNumber);
        }

        if (equals == 0)
        {
            throw block.Error(lineNumber, $"line '{Shorten(line)}' has no key before '='");
        }

        return new Field(line[..equals].Trim(), line[(equals + 1)..], lineNumber);
    }

    private static (List<(string, int)> Parameters, (string, int)? Pandas) ReadTrailer(string[] lines, int start)
    {
        var parameters = new List<(string, int)>();
        (string, int)? pandas = null;
        var inParameters = false;
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line == "parameters:")
            {
                inParameters = true;
            }
            else if (line == "end of parameters")
            {
                inParameters = false;
            }
            else if (inParameters)
            {
                parameters.Add((line, i + 1));
            }
            else if (line.StartsWith(PandasPrefix, StringComparison.Ordinal))
            {
                if (pandas is not null)
                {
                    throw new ModelFormatException($"line {i + 1}: a second 'pandas_categorical:' line");
                }

                pandas = (line[PandasPrefix.Length..], i + 1);
            }
        }

        return (parameters, pandas);
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
