using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>MLflow scoring-server inputs.</summary>
public sealed partial class FrameParser
{
    private enum MlflowInput { None, DataframeSplit, DataframeRecords, Instances, Inputs }

    private static MlflowInput MlflowKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("dataframe_split"u8) ? MlflowInput.DataframeSplit
        : reader.ValueTextEquals("dataframe_records"u8) ? MlflowInput.DataframeRecords
        : reader.ValueTextEquals("instances"u8) ? MlflowInput.Instances
        : reader.ValueTextEquals("inputs"u8) ? MlflowInput.Inputs
        : MlflowInput.None;

    /// <summary>MLflow scoring protocol: one of four input keys; other keys (e.g. "params") are ignored.</summary>
    private void ParseMlflow(ref Utf8JsonReader reader)
    {
        var found = MlflowInput.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = MlflowKey(ref reader);
            reader.Read();
            if (key == MlflowInput.None)
            {
                reader.Skip();
                continue;
            }
            if (found != MlflowInput.None)
                throw FrameException.Shape("give exactly one of dataframe_split, dataframe_records, instances or inputs");
            found = key;
            switch (key, reader.TokenType)
            {
                case (MlflowInput.DataframeSplit, JsonTokenType.StartObject):
                    ParseSplit(ref reader);
                    break;
                case (MlflowInput.DataframeRecords or MlflowInput.Instances or MlflowInput.Inputs, JsonTokenType.StartArray):
                    ParseRowList(ref reader, Name(key));
                    break;
                case (MlflowInput.Inputs, JsonTokenType.StartObject):
                    ParseColumns(ref reader);
                    break;
                default:
                    throw FrameException.Shape($"\"{Name(key)}\" cannot be a {Describe(reader.TokenType)}");
            }
        }
    }

    private static string Name(MlflowInput key) => key switch
    {
        MlflowInput.DataframeSplit => "dataframe_split",
        MlflowInput.DataframeRecords => "dataframe_records",
        MlflowInput.Instances => "instances",
        _ => "inputs",
    };
}
