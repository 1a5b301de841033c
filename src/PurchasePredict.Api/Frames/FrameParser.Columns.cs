using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>pandas columns orient, as the tutorial client sends it.</summary>
public sealed partial class FrameParser
{
    /// <summary>
    /// Columns orient: <c>{"col": {"label": v, ...}, ...}</c>, or <c>{"col": [v, ...], ...}</c>.
    /// Columns that are not features still contribute their row labels, as they do in pandas.
    /// </summary>
    private void ParseColumns(ref Utf8JsonReader reader)
    {
        var listLength = -1;
        var guess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var feature = _schema.FindFeature(ref reader, guess);
            if (feature >= 0)
            {
                if (_seen[feature]) throw FrameException.DuplicateColumn(_schema.FeatureName(feature));
                _seen[feature] = true;
                guess = feature + 1;
            }
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when listLength < 0:
                    _labelled = true;
                    ReadLabelledColumn(ref reader, feature);
                    break;
                case JsonTokenType.StartArray when !_labelled:
                    ReadListColumn(ref reader, feature, ref listLength);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    throw FrameException.Shape("the frame mixes columns given as objects (row label to value) and as arrays");
                default:
                    if (feature >= 0)
                        throw new FrameException(400, "Unsupported frame shape",
                            $"column '{_schema.FeatureName(feature)}' must be an object of row label to value, or an array of values, not a {Describe(reader.TokenType)}",
                            _schema.FeatureName(feature));
                    break;
            }
        }
    }

    private void ReadLabelledColumn(ref Utf8JsonReader reader, int feature)
    {
        var column = ++_column;
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var row = _labels.Find(ref reader, position);
            if (row < 0)
            {
                AddRow();
                _labels.Add(ref reader);
                row = _rows - 1;
            }
            else if (_rowColumn[row] == column)
            {
                var name = feature >= 0 ? _schema.FeatureName(feature) : null;
                throw FrameException.DuplicateKey(
                    $"row label '{FrameException.Quote(Label(row))}' appears twice in {(name is null ? "a column" : $"column '{name}'")}", name, Label(row));
            }
            _rowColumn[row] = column;
            position++;
            reader.Read();
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
        }
    }

    private void ReadListColumn(ref Utf8JsonReader reader, int feature, ref int listLength)
    {
        var row = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (row == _rows) AddRow();
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
            row++;
        }
        if (listLength >= 0 && row != listLength)
            throw FrameException.Shape($"columns have different lengths ({listLength} and {row} values)");
        listLength = row;
    }
}
