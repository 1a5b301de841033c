using System.Text.Json.Serialization;
using PurchasePredict.GcpSandbox.Accounts;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox;

/// <summary>Source-generated JSON for the wire, snake_case as Google's and Docker's messages are.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(TokenInfo))]
[JsonSerializable(typeof(Grant))]
[JsonSerializable(typeof(Registry.RegistryToken))]
[JsonSerializable(typeof(Registry.RegistryErrors))]
public sealed partial class SandboxJson : JsonSerializerContext;

/// <summary>The same for files people read: key files (indented as gcloud writes them) and the account store.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ServiceAccountKeyFile))]
[JsonSerializable(typeof(ServiceAccount))]
public sealed partial class SandboxFiles : JsonSerializerContext;
