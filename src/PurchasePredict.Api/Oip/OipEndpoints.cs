using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Api.Endpoints;
using PurchasePredict.Api.Frames;
using PurchasePredict.Api.Loading;
using PurchasePredict.Api.Logging;
using PurchasePredict.Api.Metrics;
using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Oip;

/// <summary>
/// The Open Inference Protocol's HTTP/REST side (KServe V2; Triton's and MLServer's API): health, server and model
/// metadata, readiness and inference, under <c>/v2</c>. The model is served under <see cref="ServedModelName"/>'s
/// name and version; requests are read with /predict's limits (MAX_BODY_BYTES, MAX_ROWS, MAX_FRAME_BYTES, gzip, turns
/// for large bodies). Errors are <c>{"error": "..."}</c>.
/// </summary>
public static class OipEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapOip(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v2/health/live", GetOrHead, Live);
        app.MapMethods("/v2/health/ready", GetOrHead, Ready);
        app.MapMethods("/v2", GetOrHead, Server);
        app.MapMethods("/v2/models/{name}", GetOrHead, Model);
        app.MapMethods("/v2/models/{name}/versions/{version}", GetOrHead, ModelVersion);
        app.MapMethods("/v2/models/{name}/ready", GetOrHead, ModelReady);
        app.MapMethods("/v2/models/{name}/versions/{version}/ready", GetOrHead, ModelVersionReady);
        app.MapPost("/v2/models/{name}/infer", Infer);
        app.MapPost("/v2/models/{name}/versions/{version}/infer", InferVersion);
        // Any other path under /v2 answers the protocol's error shape, not problem details.
        app.Map("/v2/{**rest}", NoSuchEndpoint);
        return app;
    }

    public static OipJson Live() => new(json =>
    {
        json.WriteStartObject();
        json.WriteBoolean("live"u8, true);
        json.WriteEndObject();
    });

    public static IResult Ready(HttpContext context, [FromServices] ModelHolder models) =>
        models.Current is null ? Loading(context) : new OipJson(json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("ready"u8, true);
            json.WriteEndObject();
        });

    public static OipJson Server() => new(OipMetadata.WriteServer);

    public static IResult Model(string name, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings) =>
        Metadata(name, null, context, models, settings);

    public static IResult ModelVersion(string name, string version, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings) =>
        Metadata(name, version, context, models, settings);

    public static IResult ModelReady(string name, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings) =>
        ModelReadiness(name, null, context, models, settings);

    public static IResult ModelVersionReady(string name, string version, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings) =>
        ModelReadiness(name, version, context, models, settings);

    public static Task<IResult> Infer(string name, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings,
        [FromServices] LargeBodyGate gate, [FromServices] ApiMetrics metrics) =>
        Inference(name, null, context, models, settings, gate, metrics);

    public static Task<IResult> InferVersion(string name, string version, HttpContext context, [FromServices] ModelHolder models, [FromServices] ApiSettings settings,
        [FromServices] LargeBodyGate gate, [FromServices] ApiMetrics metrics) =>
        Inference(name, version, context, models, settings, gate, metrics);

    public static OipError NoSuchEndpoint(HttpContext context) =>
        OipError.NotFound($"no such endpoint: {context.Request.Method} {FrameException.Quote(context.Request.Path.Value ?? "")}");

    private static IResult Metadata(string name, string? version, HttpContext context, ModelHolder models, ApiSettings settings)
    {
        if (Served(name, version, context, models, settings, out var loaded) is { } refused) return refused;
        var servedVersion = ServedModelName.Version(loaded!);
        return new OipJson(json => OipMetadata.WriteModel(json, name, servedVersion, loaded!.Model, loaded.Schema));
    }

    private static IResult ModelReadiness(string name, string? version, HttpContext context, ModelHolder models, ApiSettings settings)
    {
        if (Served(name, version, context, models, settings, out _) is { } refused) return refused;
        return new OipJson(json =>
        {
            json.WriteStartObject();
            json.WriteString("name"u8, name);
            json.WriteBoolean("ready"u8, true);
            json.WriteEndObject();
        });
    }

    private static async Task<IResult> Inference(string name, string? version, HttpContext context, ModelHolder models, ApiSettings settings,
        LargeBodyGate gate, ApiMetrics metrics)
    {
        if (Served(name, version, context, models, settings, out var loaded) is { } refused) return refused;
        try
        {
            var request = context.Request;
            // The body is JSON whatever its Content-Type says, as Triton and KServe read it (curl -d sends a form's type,
            // some clients none); only CSV, /invocations' other format, is refused, so the mix-up is named.
            if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
                throw new FrameException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                    $"an inference request is JSON, not '{FrameException.Quote(request.ContentType)}' (CSV goes to POST /invocations)");
            var gzip = RequestBody.IsGzip(request);
            var model = loaded!.Model;
            using var read = await RequestBody.ReadAllAsync(request, settings.MaxBodyBytes, gate, gzip);
            metrics.Body(context, read.Content.Length);
            var body = gzip ? GzipBody.Inflate(read.Content, settings.MaxBodyBytes) : read.Content;
            var limits = new FrameLimits(settings.MaxRows, settings.MaxFrameBytes, model.ClassCount);
            var inference = new InferRequestParser(loaded.Schema, limits, model.Kind).Parse(body);
            var scores = new double[inference.Rows * model.ClassCount];
            model.Predict(inference.Values, inference.Rows, scores);
            RequestLogging.SetRows(context, inference.Rows);
            metrics.Scored(context, scores, inference.Rows, model);
            var servedVersion = ServedModelName.Version(loaded);
            return new OipJson(json => InferResponse.Write(json, name, servedVersion, inference, scores, model));
        }
        catch (FrameException e)
        {
            metrics.Problem(e.Title);
            return OipError.From(e, context);
        }
    }

    /// <summary>Null when this model (and version, if given) is served and loaded; else the 404 or 503 to answer.</summary>
    private static OipError? Served(string name, string? version, HttpContext context, ModelHolder models, ApiSettings settings, out LoadedModel? loaded)
    {
        loaded = models.Current;
        var served = ServedModelName.Name(settings);
        if (name != served)
            return OipError.NotFound($"model '{FrameException.Quote(name)}' is not served here; this server serves '{served}'");
        if (loaded is null) return Loading(context);
        var servedVersion = ServedModelName.Version(loaded);
        return version is null || version == servedVersion
            ? null
            : OipError.NotFound($"model '{served}' has no version '{FrameException.Quote(version)}'; this server serves version '{servedVersion}'");
    }

    private static OipError Loading(HttpContext context) => OipError.From(Problems.ModelLoading(), context);
}
