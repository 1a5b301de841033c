using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace PurchasePredict.Api;

/// <summary>Source-generated JSON for what the framework serializes for us (problem details and their extensions).</summary>
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(Loading.ModelIdentity))]
public sealed partial class AppJsonContext : JsonSerializerContext;
