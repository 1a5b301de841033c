using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Api.Frames;
using PurchasePredict.Api.Loading;
using PurchasePredict.Api.Logging;
using PurchasePredict.Api.Predictions;
using PurchasePredict.Api.Settings;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Endpoints;

/// <summary>POST /predict (the tutorial's Flask API) and POST /invocations (MLflow's scoring protocol).</summary>
public static class PredictEndpoints
{
    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", Predict);
        app.MapPost("/invocations", Invocations);
        return app;
    }

    public static async Task<Results<PredictionsResult, ProblemHttpResult>> Predict(
        HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings)
    {
        var proba = context.Request.Query["proba"];
        if (!TryParseFlag(proba, out var probabilities))
            return Problems.BadQuery("proba", $"proba must be true or false, not '{proba}'");
        return await Answer(context, models, settings, probabilities ? AnswerFormat.Probabilities : AnswerFormat.Labels);
    }

    public static Task<Results<PredictionsResult, ProblemHttpResult>> Invocations(
        HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings) =>
        Answer(context, models, settings, AnswerFormat.Mlflow);

    private static async Task<Results<PredictionsResult, ProblemHttpResult>> Answer(
        HttpContext context, ModelHolder models, ApiSettings settings, AnswerFormat format)
    {
        var request = context.Request;
        if (!RequestBody.IsJson(request.ContentType)) return Problems.UnsupportedMediaType(request.ContentType);
        if (models.Current is not { } loaded) return Problems.ModelNotLoaded();
        var model = loaded.Model;
        if (format == AnswerFormat.Probabilities && model.Kind == ModelKind.Regression)
            return Problems.BadQuery("proba", $"the model is a regression ({model.Objective}): it has no probabilities; POST /predict answers its values");
        try
        {
            var body = await RequestBody.ReadAllAsync(request, settings.MaxBodyBytes);
            try
            {
                var outputs = Evaluate(body.Buffer, loaded, settings.MaxRows, out var rows);
                RequestLogging.SetRows(context, rows);
                return new PredictionsResult(outputs, rows, model.ClassCount, model.Kind, format);
            }
            finally
            {
                request.BodyReader.AdvanceTo(body.Buffer.End);
            }
        }
        catch (FrameException e)
        {
            return Problems.From(e);
        }
    }

    private static double[] Evaluate(System.Buffers.ReadOnlySequence<byte> body, LoadedModel loaded, int maxRows, out int rows)
    {
        var parser = FrameParser.Rent();
        try
        {
            parser.Parse(body, loaded.Schema, maxRows);
            rows = parser.RowCount;
            var outputs = new double[rows * loaded.Model.ClassCount];
            loaded.Model.Predict(parser.Values, rows, outputs);
            return outputs;
        }
        finally
        {
            FrameParser.Return(parser);
        }
    }

    private static bool TryParseFlag(Microsoft.Extensions.Primitives.StringValues values, out bool flag)
    {
        flag = false;
        if (values.Count == 0) return true;
        if (values.Count > 1) return false;
        var text = values[0];
        if (text is "1" || string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) flag = true;
        else if (!(text is "0" or "" || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))) return false;
        return true;
    }
}
