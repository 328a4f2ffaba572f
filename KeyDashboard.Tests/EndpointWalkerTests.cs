using System.Net;
using System.Reflection;
using System.Text;
using KeyDashboard.Keys;
using KeyDashboard.Tests.Api;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests;

/// <summary>
/// Every endpoint the app maps, read from its <see cref="EndpointDataSource"/> so a new one is walked without being
/// listed here, called the way a scanner calls it: without an antiforgery token, with a wrong method, junk, malformed
/// and oversized bodies, odd route values and query strings, signed out and signed in (with a key under /api). Bad
/// input gets a 4xx, never a 5xx. Bounded: one pass of a small matrix per endpoint, sent a few at a time.
/// </summary>
public sealed class EndpointWalkerTests(EndpointWalkerTests.WalkedApp app) : IClassFixture<EndpointWalkerTests.WalkedApp>
{
    private static readonly string[] RouteValues = ["kd-nothing", new string('a', 2_000), "%27%22%3E%3Cscript%3E..%2F..%2F%E2%80%AE%F0%9F%92%A9"];

    private static readonly string[] Queries =
    [
        "",
        "?page=21474837&pageSize=100&days=-5&from=yesterday&to=%ZZ&status=sleeping,gone&sort=secret&order=up&includeRevoked=maybe"
            + "&userId=%00&code=%ZZ!&email=not-an-email&returnUrl=%2F%2Fevil.example&ReturnUrl=javascript:alert(1)&token=AAAA"
            + "&rememberMe=maybe&Action=nope&id=..%2F&username=%00&provider=x&KeyId=%ZZ",
        "?code=" + new string('A', 3_000) + "&userId=" + new string('1', 3_000) + "&page=1&page=2&page=x",
    ];

    [Fact]
    public async Task No_mapped_endpoint_answers_a_5xx_to_bad_input_signed_out_or_in()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e)).ToList();
        Assert.True(endpoints.Count > 40, $"Only {endpoints.Count} endpoints found.");

        // A few endpoints at once, each endpoint's requests one after another: two requests of one user racing on one
        // page is another test's subject.
        var requests = endpoints.Select(e => RequestsFor(e).ToList()).ToList();
        var failures = new List<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (forEndpoint, _) =>
        {
            foreach (var request in forEndpoint)
                if (await FailureAsync(request) is { } failure) lock (failures) failures.Add(failure);
        });

        var count = requests.Sum(r => r.Count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} requests failed:\n" + string.Join("\n", failures.Order().Take(60)));
    }

    private async Task<string?> FailureAsync(WalkRequest walk)
    {
        var client = walk.Caller switch
        {
            Caller.Anonymous => app.AnonymousBrowser,
            Caller.SignedIn => app.SignedInBrowser,
            _ => app.KeyClient,
        };
        using var request = new HttpRequestMessage(new HttpMethod(walk.Method), walk.Path) { Content = walk.Body?.Invoke() };
        try
        {
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode < 500) return null;
            var body = await response.Content.ReadAsStringAsync();
            return $"{(int)response.StatusCode} {walk}: {body[..Math.Min(200, body.Length)].ReplaceLineEndings(" ")}";
        }
        catch (Exception e)
        {
            return $"threw {walk}: {e.GetType().Name}: {e.Message[..Math.Min(200, e.Message.Length)]}";
        }
    }

    private static IEnumerable<WalkRequest> RequestsFor(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared ? declared.ToList() : ["GET", "POST"];
        var wrongMethod = methods.Contains("GET") ? (methods.Contains("DELETE") ? "PUT" : "DELETE") : "GET";
        var isApi = endpoint.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true;
        Caller[] callers = isApi ? [Caller.Anonymous, Caller.Key] : [Caller.Anonymous, Caller.SignedIn];
        var paths = Paths(endpoint.RoutePattern).ToList();

        foreach (var caller in callers)
        {
            foreach (var method in methods.Append(wrongMethod).Distinct())
            {
                var hasBody = method is not ("GET" or "HEAD" or "OPTIONS");
                var wrong = method == wrongMethod;
                // The odd queries and bodies on the first path, each odd route value once more.
                foreach (var query in wrong ? Queries.Take(1) : Queries) yield return new(caller, method, paths[0] + query, null, "no body");
                if (hasBody && !wrong)
                    foreach (var (name, body) in JunkBodies) yield return new(caller, method, paths[0], body, name);
                foreach (var path in paths.Skip(1)) yield return new(caller, method, path, null, "no body");
            }
        }
    }

    private static readonly (string Name, Func<HttpContent> Body)[] JunkBodies =
    [
        ("junk form", () => new StringContent("a=%ZZ&&==&__RequestVerificationToken=forged&Input.Email=%00&returnUrl=//evil.example", Encoding.UTF8, "application/x-www-form-urlencoded")),
        ("junk json", () => new StringContent("""{"name": "unterminated""", Encoding.UTF8, "application/json")),
        ("binary", () => new ByteArrayContent([0xFF, 0xFE, 0x00, 0x01, 0x80, 0x81]) { Headers = { ContentType = new("application/octet-stream") } }),
        ("multipart", () => new MultipartFormDataContent("boundary") { { new StringContent("x"), "file", "../../etc/passwd" } }),
        ("oversized json", () => new StringContent("{\"name\": \"" + new string('x', 200_000) + "\", \"scopes\": [\"keys:read\"]}", Encoding.UTF8, "application/json")),
        ("too many form fields", () => new StringContent(string.Join("&", Enumerable.Range(0, 5_000).Select(i => $"f{i}=1")), Encoding.UTF8, "application/x-www-form-urlencoded")),
    ];

    /// <summary>The route with a plain value for each parameter, then with odd ones (empty where optional, long, encoded).</summary>
    private static IEnumerable<string> Paths(RoutePattern pattern)
    {
        if (pattern.Parameters.Count == 0)
        {
            yield return Path(pattern, _ => "");
            yield break;
        }
        foreach (var value in RouteValues) yield return Path(pattern, parameter => parameter.IsCatchAll ? value + "/x.txt" : value);
    }

    private static string Path(RoutePattern pattern, Func<RoutePatternParameterPart, string> value)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => value(parameter),
            _ => "",
        })));
        return "/" + string.Join("/", segments);
    }

    // The CSS, scripts and fonts of MapStaticAssets: files, not code that reads input.
    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<MethodInfo>() is null
        && endpoint.RoutePattern.PathSegments.Any(s => s.Parts.OfType<RoutePatternLiteralPart>().Any(l => l.Content.Contains('.')));

    private enum Caller { Anonymous, SignedIn, Key }

    private sealed record WalkRequest(Caller Caller, string Method, string Path, Func<HttpContent>? Body, string BodyName)
    {
        public override string ToString() => $"{Caller} {Method} {Path[..Math.Min(120, Path.Length)]} ({BodyName})";
    }

    /// <summary>The test world with a signed-in owner, that owner's key with every scope, and a browser signed out.</summary>
    public sealed class WalkedApp : KeyDashboardFactory, IAsyncLifetime
    {
        public HttpClient AnonymousBrowser { get; private set; } = null!;
        public HttpClient SignedInBrowser { get; private set; } = null!;
        public HttpClient KeyClient { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var owner = await this.AddMemberAsync(Roles.Owner);
            var key = await this.CreateKeyAsync(WorldKeys.KeyRequest("walker", AppWithKeysInEveryState.AllScopes), by: owner);
            AnonymousBrowser = CreateBrowser();
            SignedInBrowser = CreateBrowser();
            await SignedInBrowser.SignInOrFailAsync(owner.Email!);
            KeyClient = ApiClient(key.Secret);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }
}
