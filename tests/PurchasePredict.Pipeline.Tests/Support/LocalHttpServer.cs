using System.Net;
using System.Text;

namespace PurchasePredict.Pipeline.Tests;

// One HTTP request as a stand-in server saw it.
public sealed record SeenRequest(string Method, string PathAndQuery, string? ContentType, string Body);

// What a stand-in answers: status, body, and headers to add.
public sealed record StandInAnswer(int Status, string Body, params (string Name, string Value)[] Headers);

// A stand-in HTTP server on 127.0.0.1 and a free port, or a given one (a service, a metadata server, a
// token endpoint): answers each request with answer(request) and keeps every request it saw. Dispose stops it.
public sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<SeenRequest, StandInAnswer> _answer;
    private readonly List<SeenRequest> _seen = [];

    public LocalHttpServer(Func<SeenRequest, StandInAnswer> answer, int? port = null)
    {
        _answer = answer;
        Port = port ?? FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Serve();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_seen) return [.. _seen];
        }
    }

    public void Dispose() => _listener.Close();

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var request = new SeenRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.ContentType, await reader.ReadToEndAsync());
            lock (_seen) _seen.Add(request);
            var answer = _answer(request);
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers) context.Response.AddHeader(name, value);
            context.Response.ContentType = answer.Body.StartsWith('{') ? "application/json" : "text/plain";
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
