using System.Buffers;
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

/// <summary>
/// POST /predict (the tutorial's Flask API, errors as RFC 7807) and POST /invocations (MLflow's scoring
/// protocol, errors in MLflow's own shape). Both read the same bodies the same way.
/// </summary>
public static class PredictEndpoints
{
    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", Predict);
        app.MapPost("/invocations", Invocations);
        return app;
    }

    public static async Task<Results<PredictionsResult, ProblemHttpResult>> Predict(
        HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings, [FromServices] LargeBodyGate gate)
    {
        var proba = context.Request.Query["proba"];
        if (!TryParseFlag(proba, out var probabilities))
            return Problems.BadQuery("proba", $"proba must be true or false, not '{FrameException.Quote(proba.ToString())}'");
        if (probabilities && models.Current?.Model is { Kind: ModelKind.Regression } regression)
            return Problems.BadQuery("proba", $"the model is a regression ({regression.Objective}): it has no probabilities; POST /predict answers its values");
        try
        {
            return await Answer(context, models, settings, gate, probabilities ? AnswerFormat.Probabilities : AnswerFormat.Labels);
        }
        catch (FrameException e)
        {
            return Problems.From(e, context);
        }
    }

    public static async Task<Results<PredictionsResult, MlflowErrorResult>> Invocations(
        HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings, [FromServices] LargeBodyGate gate)
    {
        try
        {
            return await Answer(context, models, settings, gate, AnswerFormat.Mlflow);
        }
        catch (FrameException e)
        {
            return MlflowErrorResult.From(e, context);
        }
    }

    /// <summary>The predictions for the request's frame; every client problem (415, 503, 400, 413) is a <see cref="FrameException"/>.</summary>
    private static async Task<PredictionsResult> Answer(HttpContext context, ModelHolder models, ApiSettings settings, LargeBodyGate gate, AnswerFormat format)
    {
        var request = context.Request;
        var bodyFormat = RequestBody.FormatOf(request.ContentType);
        var gzip = RequestBody.IsGzip(request);
        if (models.Current is not { } loaded) throw Problems.ModelLoading();
        var model = loaded.Model;
        using var read = await RequestBody.ReadAllAsync(request, settings.MaxBodyBytes, gate, gzip);
        var body = gzip ? GzipBody.Inflate(read.Content, settings.MaxBodyBytes) : read.Content;
        var outputs = Evaluate(body, bodyFormat, loaded, new FrameLimits(settings.MaxRows, settings.MaxFrameBytes, model.ClassCount), out var rows);
        RequestLogging.SetRows(context, rows);
        return new PredictionsResult(outputs, rows, model.ClassCount, model.Kind, format);
    }

    private static double[] Evaluate(ReadOnlySequence<byte> body, BodyFormat bodyFormat, LoadedModel loaded, FrameLimits limits, out int rows)
    {
        var parser = FrameParser.Rent();
        try
        {
            if (bodyFormat == BodyFormat.Csv) parser.ParseCsv(body, loaded.Schema, limits);
            else parser.Parse(body, loaded.Schema, limits);
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
