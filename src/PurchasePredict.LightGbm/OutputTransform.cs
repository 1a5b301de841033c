using System.Globalization;

namespace PurchasePredict.LightGbm;

/// <summary>
/// The objective's <c>ConvertOutput</c>, applied after the trees are summed (LightGBM's
/// binary_objective.hpp, multiclass_objective.hpp, regression_objective.hpp, xentropy_objective.hpp).
/// </summary>
internal sealed class OutputTransform
{
    private enum Function
    {
        Identity,
        Sigmoid,
        Softmax,
        SigmoidPerClass,
        Exp,
        SignedSquare,
        LogOnePlusExp,
    }

    private readonly Function _function;
    private readonly double _sigmoid;

    private OutputTransform(Function function, ModelKind kind, double sigmoid = 1.0)
    {
        _function = function;
        Kind = kind;
        _sigmoid = sigmoid;
    }

    public ModelKind Kind { get; }

    /// <summary>Reads an <c>objective=</c> line such as <c>binary sigmoid:1</c> or <c>multiclass num_class:3</c>.</summary>
    public static OutputTransform FromObjective(FieldBlock header, Field? objective, int classCount)
    {
        if (objective is not { } field || field.Value.Trim().Length == 0)
        {
            // No objective line: LightGBM returns raw scores (objective "none" or a custom objective).
            return new OutputTransform(Function.Identity, classCount > 1 ? ModelKind.Multiclass : ModelKind.Regression);
        }

        var tokens = field.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = tokens[0];
        var options = tokens.Skip(1).ToArray();
        var result = name switch
        {
            "binary" => new OutputTransform(Function.Sigmoid, ModelKind.Binary, Sigmoid(header, field, options)),
            "multiclass" or "softmax" => new OutputTransform(Function.Softmax, ModelKind.Multiclass),
            "multiclassova" or "multiclass_ova" or "ova" or "ovr" =>
                new OutputTransform(Function.SigmoidPerClass, ModelKind.Multiclass, Sigmoid(header, field, options)),
            "regression" or "regression_l2" or "l2" or "mean_squared_error" or "mse" or "l2_root"
                or "root_mean_squared_error" or "rmse" or "regression_l1" or "l1" or "mean_absolute_error" or "mae"
                or "huber" or "fair" or "quantile" or "mape" or "mean_absolute_percentage_error" =>
                new OutputTransform(options.Contains("sqrt") ? Function.SignedSquare : Function.Identity, ModelKind.Regression),
            "poisson" or "gamma" or "tweedie" => new OutputTransform(Function.Exp, ModelKind.Regression),
            "cross_entropy" or "xentropy" => new OutputTransform(Function.Sigmoid, ModelKind.Regression),
            "cross_entropy_lambda" or "xentlambda" => new OutputTransform(Function.LogOnePlusExp, ModelKind.Regression),
            "lambdarank" or "rank_xendcg" or "xendcg" or "xe_ndcg" or "xe_ndcg_mart" or "xendcg_mart" or "custom" or "none" =>
                new OutputTransform(Function.Identity, ModelKind.Regression),
            _ => throw header.Error(field, $"names objective '{name}', which this evaluator does not know"),
        };

        var expectsClasses = result.Kind == ModelKind.Multiclass;
        if (expectsClasses != (classCount > 1))
        {
            throw header.Error(field, $"'{name}' does not fit num_class={classCount}");
        }

        if (expectsClasses)
        {
            CheckNumClassOption(header, field, options, classCount);
        }

        return result;
    }

    /// <summary>Transforms the summed raw scores in place.</summary>
    public void Apply(Span<double> scores)
    {
        switch (_function)
        {
            case Function.Identity:
                break;
            case Function.Sigmoid:
            case Function.SigmoidPerClass:
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = 1.0 / (1.0 + Math.Exp(-_sigmoid * scores[i]));
                }

                break;
            case Function.Softmax:
                Softmax(scores);
                break;
            case Function.Exp:
                scores[0] = Math.Exp(scores[0]);
                break;
            case Function.SignedSquare:
                scores[0] = (scores[0] > 0 ? 1 : scores[0] < 0 ? -1 : 0) * scores[0] * scores[0];
                break;
            case Function.LogOnePlusExp:
                scores[0] = Math.Log(1.0 + Math.Exp(scores[0]));
                break;
        }
    }

    /// <summary>Common::Softmax: subtract the maximum, exponentiate, divide by the sum, in that order.</summary>
    private static void Softmax(Span<double> scores)
    {
        var max = scores[0];
        for (var i = 1; i < scores.Length; i++)
        {
            max = Math.Max(scores[i], max);
        }

        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp(scores[i] - max);
            sum += scores[i];
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum;
        }
    }

    private static double Sigmoid(FieldBlock header, Field field, string[] options)
    {
        var option = options.FirstOrDefault(o => o.StartsWith("sigmoid:", StringComparison.Ordinal))
            ?? throw header.Error(field, "has no 'sigmoid:' option, which LightGBM requires for this objective");
        if (!FieldValues.TryParseDouble(option["sigmoid:".Length..], out var sigmoid) || !(sigmoid > 0))
        {
            throw header.Error(field, $"has '{option}'; the sigmoid factor must be a number above zero");
        }

        return sigmoid;
    }

    private static void CheckNumClassOption(FieldBlock header, Field field, string[] options, int classCount)
    {
        var option = options.FirstOrDefault(o => o.StartsWith("num_class:", StringComparison.Ordinal));
        if (option is not null
            && (!int.TryParse(option["num_class:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || n != classCount))
        {
            throw header.Error(field, $"has '{option}' but the header says num_class={classCount}");
        }
    }
}
