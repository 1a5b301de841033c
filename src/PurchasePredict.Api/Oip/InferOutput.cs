using PurchasePredict.Api.Frames;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Oip;

/// <summary>
/// The outputs an inference can answer: <c>probability</c> (binary: p(class 1), shape [N]; multiclass: one per class,
/// [N, classes]), <c>value</c> (regression, [N]), <c>label</c> (the class /predict answers, [N]) and <c>predict</c>
/// (MLServer's LightGBM runtime's name for what <c>booster.predict</c> returns: the probability or the value).
/// </summary>
internal enum InferOutput { Probability, Value, Label, Predict }

internal static class InferOutputs
{
    public static InferOutput Default(ModelKind kind) => kind == ModelKind.Regression ? InferOutput.Value : InferOutput.Probability;

    public static string Name(InferOutput output) => output switch
    {
        InferOutput.Probability => "probability",
        InferOutput.Value => "value",
        InferOutput.Label => "label",
        _ => "predict",
    };

    /// <summary>The outputs a model of this kind answers, for a 400 that lists them.</summary>
    public static string Available(ModelKind kind) =>
        kind == ModelKind.Regression ? "'value' or 'predict'" : "'probability', 'label' or 'predict'";

    public static InferOutput Parse(string name, ModelKind kind)
    {
        InferOutput? output = name switch
        {
            "probability" when kind != ModelKind.Regression => InferOutput.Probability,
            "label" when kind != ModelKind.Regression => InferOutput.Label,
            "value" when kind == ModelKind.Regression => InferOutput.Value,
            "predict" => InferOutput.Predict,
            _ => null,
        };
        return output ?? throw new FrameException(400, "Unknown output",
            $"output '{FrameException.Quote(name)}' is not one this {kind.ToString().ToLowerInvariant()} model answers: ask for {Available(kind)}");
    }
}
