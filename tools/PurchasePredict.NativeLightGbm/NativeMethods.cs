using System.Runtime.InteropServices;

namespace PurchasePredict.NativeLightGbm;

/// <summary>The few entry points of LightGBM's c_api.h that we use. Every function returns 0 on success.</summary>
internal static partial class NativeMethods
{
    private const string Library = "lib_lightgbm";

    internal const int DTypeFloat32 = 0;
    internal const int DTypeFloat64 = 1;
    internal const int PredictNormal = 0;
    internal const int PredictRawScore = 1;

    [LibraryImport(Library)]
    internal static partial IntPtr LGBM_GetLastError();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int LGBM_DatasetCreateFromMat(double* data, int dataType, int rows, int cols,
        int isRowMajor, string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int LGBM_DatasetSetField(IntPtr dataset, string field, float* data, int count, int type);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LGBM_DatasetSetFeatureNames(IntPtr dataset, string[] names, int count);

    [LibraryImport(Library)]
    internal static partial int LGBM_DatasetFree(IntPtr dataset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LGBM_BoosterCreate(IntPtr dataset, string parameters, out IntPtr booster);

    [LibraryImport(Library)]
    internal static partial int LGBM_BoosterUpdateOneIter(IntPtr booster, out int isFinished);

    [LibraryImport(Library)]
    internal static unsafe partial int LGBM_BoosterSaveModelToString(IntPtr booster, int startIteration,
        int numIteration, int featureImportanceType, long bufferLength, out long length, byte* buffer);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LGBM_BoosterLoadModelFromString(string model, out int iterations, out IntPtr booster);

    [LibraryImport(Library)]
    internal static partial int LGBM_BoosterGetNumClasses(IntPtr booster, out int classes);

    [LibraryImport(Library)]
    internal static partial int LGBM_BoosterGetNumFeature(IntPtr booster, out int features);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int LGBM_BoosterPredictForMat(IntPtr booster, double* data, int dataType,
        int rows, int cols, int isRowMajor, int predictType, int startIteration, int numIteration,
        string parameters, out long length, double* result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LGBM_BoosterPredictForMatSingleRowFastInit(IntPtr booster, int predictType,
        int startIteration, int numIteration, int dataType, int cols, string parameters, out IntPtr fastConfig);

    [LibraryImport(Library)]
    internal static unsafe partial int LGBM_BoosterPredictForMatSingleRowFast(IntPtr fastConfig, double* row,
        out long length, double* result);

    [LibraryImport(Library)]
    internal static partial int LGBM_FastConfigFree(IntPtr fastConfig);

    [LibraryImport(Library)]
    internal static partial int LGBM_BoosterFree(IntPtr booster);

    /// <summary>Turns a non-zero return code into an exception carrying LGBM_GetLastError's text.</summary>
    internal static void Check(int code, string function)
    {
        if (code != 0)
        {
            var message = Marshal.PtrToStringUTF8(LGBM_GetLastError()) ?? "no message";
            throw new NativeLightGbmException($"{function} failed: {message}");
        }
    }
}
