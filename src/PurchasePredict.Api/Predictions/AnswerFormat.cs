namespace PurchasePredict.Api.Predictions;

/// <summary>How predictions are written (src/PurchasePredict.Api/README.md, "Answers").</summary>
public enum AnswerFormat
{
    /// <summary>POST /predict: the Flask app's answer, a class per row (binary: 1 when p &gt; 0.5).</summary>
    Labels,

    /// <summary>POST /predict?proba=true: class probabilities.</summary>
    Probabilities,

    /// <summary>POST /invocations: <c>{"predictions": [...]}</c>, what MLflow's lightgbm flavour returns for a Booster.</summary>
    Mlflow,
}
