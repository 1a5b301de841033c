using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>Row lists: pandas records, and rows given as arrays.</summary>
public sealed partial class FrameParser
{
    /// <summary>Records (<c>[{"col": v}, ...]</c>) or positional rows (<c>[[v, ...], ...]</c>, in the model's feature order).</summary>
    private void ParseRowList(ref Utf8JsonReader reader, string where)
    {
        var kind = JsonTokenType.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var token = reader.TokenType;
            if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                throw FrameException.Shape($"{where}: row {_rows} must be an object (a record) or an array (values in the model's feature order), not a {Describe(token)}");
            if (kind != JsonTokenType.None && token != kind)
                throw FrameException.Shape($"{where} mixes rows given as objects and as arrays");
            kind = token;
            AddRow();
            if (token == JsonTokenType.StartObject) ReadRecord(ref reader);
            else ReadPositionalRow(ref reader);
        }
    }

    private void ReadRecord(ref Utf8JsonReader reader)
    {
        var row = _rows - 1;
        var guess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var feature = _schema.FindFeature(ref reader, guess);
            reader.Read();
            if (feature < 0)
            {
                reader.Skip();
                continue;
            }
            if (_featureRecord[feature] == row + 1)
                throw FrameException.DuplicateKey($"key '{_schema.FeatureName(feature)}' appears twice in row {row}", _schema.FeatureName(feature), Label(row));
            _featureRecord[feature] = row + 1;
            _seen[feature] = true;
            guess = feature + 1;
            Set(row, feature, ref reader);
        }
    }

    private void ReadPositionalRow(ref Utf8JsonReader reader)
    {
        var row = _rows - 1;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count < _schema.FeatureCount) Set(row, count, ref reader);
            else reader.Skip();
            count++;
        }
        if (count != _schema.FeatureCount)
            throw new FrameException(400, "Invalid row",
                $"row {row} has {count} values; a row given as an array needs exactly {_schema.FeatureCount}, in the model's feature order",
                row: Label(row));
        Array.Fill(_seen, true);
    }
}
