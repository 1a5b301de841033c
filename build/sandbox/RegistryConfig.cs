#nullable enable
// docker-registry's (distribution 2.8) configuration for a private registry on the loopback interface:
// filesystem storage, deletes allowed (SandboxDown, tests), and token authentication against
// gcp-sandbox registry-auth (tools/PurchasePredict.GcpSandbox/README.md): every request needs a token
// of that service, signed by the key whose certificate is certificateBundle.
public static class RegistryConfig
{
    // gcp-sandbox registry-auth's `iss`.
    public const string Issuer = "gcp-sandbox";

    public static string Yaml(string address, string dataDirectory, string realm, string certificateBundle) => $"""
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: {dataDirectory}
          delete:
            enabled: true
        http:
          addr: {address}
        auth:
          token:
            realm: {realm}
            service: {address}
            issuer: {Issuer}
            rootcertbundle: {certificateBundle}
        """;
}
