using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>pandas split orient (and MLflow's dataframe_split).</summary>
public sealed partial class FrameParser
{
    /// <summary>Split orient: <c>{"columns": [...], "index": [...], "data": [[...], ...]}</c>, keys in any order.</summary>
    private void ParseSplit(ref Utf8JsonReader reader)
    {
        var columnCount = ReadSplitColumns(reader);
        bool sawData = false, sawColumns = false, sawIndex = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            if (!isData)
            {
                // Only the first "columns" was read; a second one (or a second "index") would be ignored: refuse it.
                if (reader.ValueTextEquals("columns"u8) && !Once(ref sawColumns) || reader.ValueTextEquals("index"u8) && !Once(ref sawIndex))
                    throw FrameException.DuplicateKey($"\"{reader.GetString()}\" appears twice in the split frame");
                reader.Read();
                reader.Skip();
                continue;
            }
            if (!Once(ref sawData)) throw FrameException.DuplicateKey("\"data\" appears twice in the split frame");
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
                throw FrameException.Shape($"\"data\" must be an array of rows, not a {Describe(reader.TokenType)}");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw FrameException.Shape($"\"data\" row {_rows} must be an array, not a {Describe(reader.TokenType)}");
                AddRow();
                ReadSplitRow(ref reader, columnCount);
            }
        }
        if (!sawData) throw FrameException.Shape("a split frame needs \"data\"");
    }

    private int ReadSplitColumns(Utf8JsonReader probe)
    {
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            var isColumns = probe.ValueTextEquals("columns"u8);
            probe.Read();
            if (!isColumns)
            {
                probe.Skip();
                continue;
            }
            if (probe.TokenType != JsonTokenType.StartArray)
                throw FrameException.Shape($"\"columns\" must be an array of column names, not a {Describe(probe.TokenType)}");
            var count = 0;
            var guess = 0;
            while (probe.Read() && probe.TokenType != JsonTokenType.EndArray)
            {
                var feature = probe.TokenType is JsonTokenType.String or JsonTokenType.Number ? _schema.FindFeature(ref probe, guess) : -1;
                probe.Skip();
                if (feature >= 0)
                {
                    if (_seen[feature]) throw FrameException.DuplicateColumn(_schema.FeatureName(feature));
                    _seen[feature] = true;
                    guess = feature + 1;
                }
                if (count == _columnFeatures.Length) Array.Resize(ref _columnFeatures, count * 2);
                _columnFeatures[count++] = feature;
            }
            return count;
        }
        throw FrameException.Shape("a split frame needs \"columns\"");
    }

    /// <summary>True the first time, for a key that may appear once.</summary>
    private static bool Once(ref bool seen)
    {
        var first = !seen;
        seen = true;
        return first;
    }

    private void ReadSplitRow(ref Utf8JsonReader reader, int columnCount)
    {
        var row = _rows - 1;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var feature = count < columnCount ? _columnFeatures[count] : -1;
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
            count++;
        }
        if (count != columnCount)
            throw new FrameException(400, "Invalid row", $"\"data\" row {row} has {count} values for {columnCount} columns", row: Label(row));
    }
}
