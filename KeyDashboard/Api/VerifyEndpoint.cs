using System.Text.Json;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

/// <summary>
/// <c>POST /verify</c>: a product's own service asks whether a key presented to it is valid, optionally for one
/// scope. Authenticated by a service token (<see cref="ServiceTokenAuthenticationHandler"/>), never by a key.
/// A valid answer counts as one use of the key.
/// </summary>
public static class VerifyEndpoint
{
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapVerify(this RouteGroupBuilder services)
    {
        services.MapPost("/verify", VerifyAsync).WithTags("Verify").WithName("VerifyKey")
            .WithSummary("Checks a key presented to a product's service (service token required).")
            .Accepts<VerifyRequest>("application/json")
            .Produces<VerifyResponse>();
        return services;
    }

    private static async Task<Results<JsonHttpResult<VerifyResponse>, ProblemHttpResult>> VerifyAsync(
        HttpContext context, ApiKeyAuthenticator authenticator, KeyUsageRecorder usage, TimeProvider clock, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(context.Request, ct);
        if (problem is not null) return BadRequest(problem);

        var now = clock.GetUtcNow();
        var clientAddress = context.Connection.RemoteIpAddress?.ToString();
        var check = await authenticator.CheckAsync(request!.Key, now, clientAddress, ct);
        if (check.Key is not { } key) return Answer(VerifyResponse.Invalid(Reason(check.Refusal!.Value)));
        if (request.Scope is { } scope)
        {
            if (!key.Scopes.Contains(scope, StringComparer.Ordinal)) return Answer(VerifyResponse.For(key, valid: false, "missing_scope"));
            // As on the API's own endpoints: the key acts as its owner, whose current role must allow the scope too.
            if (!Permissions.AllowsScope(key.Role, scope)) return Answer(VerifyResponse.For(key, valid: false, "role_not_allowed"));
        }

        usage.Record(key.KeyId, now, clientAddress, key.ViaPreviousSecret);
        return Answer(VerifyResponse.For(key, valid: true, reason: null));
    }

    private static async Task<(VerifyRequest? Request, string? Problem)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        if (!http.HasJsonContentType()) return (null, "Send a JSON body with Content-Type: application/json.");
        if (http.ContentLength > MaxBodyBytes) return (null, $"The body must be at most {MaxBodyBytes} bytes.");
        VerifyRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(new LimitedStream(http.Body, MaxBodyBytes), ApiJsonContext.Default.VerifyRequest, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return (null, """The body must be JSON like { "key": "…", "scope": "keys:read" }, with string values.""");
        }
        if (string.IsNullOrEmpty(request?.Key)) return (null, "key is required.");
        return (request, null);
    }

    private static JsonHttpResult<VerifyResponse> Answer(VerifyResponse response) =>
        TypedResults.Json(response, ApiJsonContext.Default.VerifyResponse);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static string Reason(KeyRefusal refusal) => refusal switch
    {
        KeyRefusal.Missing or KeyRefusal.Malformed => "malformed",
        KeyRefusal.Unknown => "unknown",
        KeyRefusal.Expired => "expired",
        KeyRefusal.Revoked => "revoked",
        KeyRefusal.RotatedSecretEnded => "rotated_secret_expired",
        KeyRefusal.OwnerNotMember => "owner_not_member",
        KeyRefusal.PlanUpgradeRequired => "plan_upgrade_required",
        _ => "invalid",
    };
}

/// <summary>The key to check and, optionally, a scope it must hold.</summary>
public sealed record VerifyRequest(string? Key, string? Scope);

/// <summary>
/// <c>valid</c> is true when the key may be used now (and holds <c>scope</c>, if one was asked for). Otherwise
/// <c>reason</c> says why: <c>malformed</c>, <c>unknown</c>, <c>expired</c>, <c>revoked</c>,
/// <c>rotated_secret_expired</c>, <c>owner_not_member</c>, <c>plan_upgrade_required</c> (a live key of a workspace on the
/// Free plan), <c>missing_scope</c> or <c>role_not_allowed</c> (the key holds the scope, but its owner's current role
/// may not do that).
/// </summary>
public sealed record VerifyResponse(
    bool Valid,
    string? Reason,
    string? KeyId,
    Guid? WorkspaceId,
    OwnerRef? Owner,
    string? Role,
    IReadOnlyList<string>? Scopes,
    DateTimeOffset? ExpiresAt)
{
    public static VerifyResponse Invalid(string reason) => new(false, reason, null, null, null, null, null, null);

    public static VerifyResponse For(VerifiedKey key, bool valid, string? reason) =>
        new(valid, reason, key.KeyId, key.WorkspaceId, new OwnerRef(key.OwnerUserId, key.OwnerName), key.Role, key.Scopes, key.ExpiresAt);
}
