using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

// registry-token: prints an OAuth access token for Google's registries (scope cloud-platform) on
// stdout, and nothing else. Push runs it, keeps its output as a secret and hands it to
// `docker login --username oauth2accesstoken --password-stdin`: the token never reaches a command line
// or a log. A project of its own, restored by NuGet like any other, because Cake's addin loader does
// not bring an addin's dependencies on a machine whose NuGet cache lacks them (issue 9).
//
//   registry-token application-default             GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file,
//                                                  or the metadata server; GCE_METADATA_HOST names one
//                                                  (then used unless GOOGLE_APPLICATION_CREDENTIALS is set)
//   registry-token service-account-key KEY_FILE    a service-account key (its token_uri is asked)
//
// Exit 0 with the token; 1 with one line on stderr saying why not; 2 for bad arguments.
const string CloudPlatform = "https://www.googleapis.com/auth/cloud-platform";

try
{
    GoogleCredential? credential = args switch
    {
        // A named metadata server is used as it is: the library's detection ping allows it 3 × 500 ms,
        // which a loaded machine's first request can miss.
        ["application-default"] when Variable("GCE_METADATA_HOST") is not null && Variable("GOOGLE_APPLICATION_CREDENTIALS") is null =>
            GoogleCredential.FromComputeCredential(),
        ["application-default"] => await GoogleCredential.GetApplicationDefaultAsync(),
        ["service-account-key", var keyFile] => CredentialFactory.FromFile<ServiceAccountCredential>(keyFile).ToGoogleCredential(),
        _ => null,
    };
    if (credential is null)
    {
        await Console.Error.WriteLineAsync("usage: registry-token application-default | registry-token service-account-key KEY_FILE");
        return 2;
    }
    var token = await credential.CreateScoped(CloudPlatform).UnderlyingCredential.GetAccessTokenForRequestAsync();
    await Console.Out.WriteAsync(token);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or TokenResponseException or HttpRequestException or ArgumentException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"registry-token: no access token: {e.Message}");
    return 1;
}
// A key file whose private_key Google's PKCS#8 reader cannot decode. Its message is the decoder's, never the key.
catch (Exception e) when (e is InvalidDataException or FormatException or System.Security.Cryptography.CryptographicException)
{
    await Console.Error.WriteLineAsync($"registry-token: no access token: the key file's private_key is not a usable RSA key ({e.Message})");
    return 1;
}

static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
