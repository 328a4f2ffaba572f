using System.Net;
using System.Net.Http.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary>Every endpoint against every kind of caller, with the status each must get.</summary>
public sealed class ApiAccessMatrixTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    public enum Caller
    {
        NoKey, Malformed, BadChecksum, Unknown, Expired, Revoked, RotatedWithinGrace, RotatedAfterGrace,
        OtherWorkspacesKey, MissingScope, MemberKeyWithWriteScope, Valid,
    }

    /// <summary>An endpoint: <c>{id}</c> in the path is a fresh key of the Acme workspace, made for each call.</summary>
    public sealed record Endpoint(string Method, string Path, string Scope, HttpStatusCode Success, object? Body = null)
    {
        public bool TargetsKey => Path.Contains("{id}");
        public override string ToString() => $"{Method} {Path}";
    }

    public static readonly IReadOnlyList<Endpoint> Endpoints =
    [
        new("GET", "/api/v1/keys", "keys:read", HttpStatusCode.OK),
        new("GET", "/api/v1/keys/{id}", "keys:read", HttpStatusCode.OK),
        new("POST", "/api/v1/keys", "keys:write", HttpStatusCode.Created, new { name = "from-the-api", scopes = new[] { "keys:read" } }),
        new("PATCH", "/api/v1/keys/{id}", "keys:write", HttpStatusCode.OK, new { name = "renamed" }),
        new("POST", "/api/v1/keys/{id}/rotate", "keys:write", HttpStatusCode.OK, new { grace = "none" }),
        new("DELETE", "/api/v1/keys/{id}", "keys:delete", HttpStatusCode.NoContent),
        new("GET", "/api/v1/keys/{id}/usage", "usage:read", HttpStatusCode.OK),
        new("GET", "/api/v1/members", "members:read", HttpStatusCode.OK),
        new("GET", "/api/v1/audit", "audit:read", HttpStatusCode.OK),
    ];

    public static TheoryData<string, Caller> Cases()
    {
        var cases = new TheoryData<string, Caller>();
        foreach (var endpoint in Endpoints)
            foreach (var caller in Enum.GetValues<Caller>())
                cases.Add(endpoint.ToString(), caller);
        return cases;
    }

    public static HttpStatusCode Expected(Endpoint endpoint, Caller caller) => caller switch
    {
        Caller.Valid or Caller.RotatedWithinGrace => endpoint.Success,
        Caller.MissingScope => HttpStatusCode.Forbidden,
        // The member holds every scope, but a member may not write keys or read the audit log.
        Caller.MemberKeyWithWriteScope => endpoint.Scope is "keys:write" or "keys:delete" or "audit:read" ? HttpStatusCode.Forbidden : endpoint.Success,
        // Its own workspace's lists are its to read; Acme's key ids do not exist for it.
        Caller.OtherWorkspacesKey => endpoint.TargetsKey ? HttpStatusCode.NotFound : endpoint.Success,
        _ => HttpStatusCode.Unauthorized,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_caller_gets_the_status_the_rules_give(string endpointName, Caller caller)
    {
        var endpoint = Endpoints.Single(e => e.ToString() == endpointName);
        var target = endpoint.TargetsKey ? await app.CreateKeyAsync(WorldKeys.KeyRequest("target")) : null;
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var response = await SendAsync(endpoint, caller, target?.Key.Id);

        var expected = Expected(endpoint, caller);
        Assert.True(expected == response.StatusCode,
            $"{endpoint} as {caller}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (!response.IsSuccessStatusCode)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        }
    }

    public async Task<HttpResponseMessage> SendAsync(Endpoint endpoint, Caller caller, string? targetKeyId)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path.Replace("{id}", targetKeyId));
        if (endpoint.Body is not null) request.Content = JsonContent.Create(endpoint.Body);
        if (Bearer(caller) is { } bearer) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {bearer}");
        return await app.ApiClient().SendAsync(request);
    }

    private string? Bearer(Caller caller) => caller switch
    {
        Caller.NoKey => null,
        Caller.Malformed => "not-a-key",
        Caller.BadChecksum => KeySecrets.WithWrongChecksum(app.OwnerKey.Secret),
        Caller.Unknown => app.Format.Generate(KeyEnvironment.Test),
        Caller.Expired => app.ExpiredSecret,
        Caller.Revoked => app.RevokedSecret,
        Caller.RotatedWithinGrace => app.RotatedWithinGraceOldSecret,
        Caller.RotatedAfterGrace => app.RotatedAfterGraceOldSecret,
        Caller.OtherWorkspacesKey => app.OtherWorkspaceKey.Secret,
        Caller.MissingScope => app.KeyWithoutScopes.Secret,
        Caller.MemberKeyWithWriteScope => app.MemberKeyWithWriteScopes.Secret,
        _ => app.OwnerKey.Secret,
    };
}
