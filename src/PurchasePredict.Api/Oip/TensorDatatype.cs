namespace PurchasePredict.Api.Oip;

/// <summary>The Open Inference Protocol's tensor datatypes this server reads (its "Tensor Data Types" table).</summary>
public enum TensorDatatype { FP64, FP32, INT64, INT32, BOOL, BYTES }

public static class TensorDatatypes
{
    public const string Supported = "FP64, FP32, INT64, INT32, BOOL or BYTES";

    public static bool TryParse(ReadOnlySpan<char> text, out TensorDatatype datatype)
    {
        datatype = text switch
        {
            "FP64" => TensorDatatype.FP64,
            "FP32" => TensorDatatype.FP32,
            "INT64" => TensorDatatype.INT64,
            "INT32" => TensorDatatype.INT32,
            "BOOL" => TensorDatatype.BOOL,
            "BYTES" => TensorDatatype.BYTES,
            _ => (TensorDatatype)(-1),
        };
        return datatype >= 0;
    }
}
