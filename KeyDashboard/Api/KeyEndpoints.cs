using KeyDashboard.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

/// <summary>The workspace's keys, managed through the same lifecycle service and audit trail as the dashboard.</summary>
public static class KeyEndpoints
{
    public const int SearchMaxLength = 200;
    public const string ReadScope = "keys:read";
    public const string WriteScope = "keys:write";
    public const string DeleteScope = "keys:delete";

    public static RouteGroupBuilder MapKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Keys");
        keys.MapGet("", ListAsync).RequireScope(ReadScope).WithName("ListKeys")
            .WithSummary("List the workspace's keys")
            .WithDescription("One page of keys, newest first unless sorted otherwise. Revoked keys are left out unless a status filter asks for them or includeRevoked is true.");
        keys.MapGet("/{id}", GetAsync).RequireScope(ReadScope).ProducesProblems(404).WithName("GetKey").WithKeyVersion()
            .WithSummary("Get one key");
        keys.MapPost("", CreateAsync).RequireScope(WriteScope).ProducesProblems(403).WithName("CreateKey").WithKeyVersion()
            .WithSummary("Create a key")
            .WithDescription("Answers 201 with the new key's secret. This is the only time the secret is shown. A key grants only scopes "
                + "the calling key holds itself, and only an owner creates a key owned by an owner (403 otherwise).");
        keys.MapPatch("/{id}", EditAsync).RequireScope(WriteScope).ProducesProblems(403, 404, 409).WithName("EditKey").WithKeyVersion(takesIfMatch: true)
            .WithSummary("Change a key's name, description, scopes or expiry")
            .WithDescription("Only the fields present change. scopes replaces the key's scopes: the calling key may add only scopes it holds "
                + "and its owner's role allows (403 otherwise); removing is always allowed. expiresAt can only bring the expiry forward, "
                + "to a time in the future (400 otherwise). Either takes effect at the key's next request. Owner and environment are "
                + "fixed when a key is created, and a revoked key no longer changes (409). Send If-Match with the key's ETag to change it only as you saw it; a key changed meanwhile answers 409.");
        keys.MapPost("/{id}/rotate", RotateAsync).RequireScope(WriteScope).ProducesProblems(403, 404, 409).WithName("RotateKey").WithKeyVersion(takesIfMatch: true)
            .WithSummary("Rotate a key's secret")
            .WithDescription("Issues a new secret for the same key, shown this once. The old secret keeps working for the grace period: none, 1h, 24h (the default) or 7d. "
                + "Send If-Match with the key's ETag so that of several rotations of what you saw only one happens; the others answer 409. "
                + "While the old secret of a previous rotation is still in its grace period, rotating again ends that grace, so it needs If-Match (409 without). "
                + "The calling key must hold every scope of the rotated key, and only an owner rotates an owner's key (403 otherwise).");
        keys.MapDelete("/{id}", RevokeAsync).RequireScope(DeleteScope).ProducesProblems(404, 409).WithName("RevokeKey")
            .WithSummary("Revoke a key")
            .WithDescription("Immediate and permanent. An optional reason is recorded in the audit log. Revoking a revoked key changes nothing.");
        return api;
    }

    private static async Task<Results<Ok<KeyListResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ApiCaller caller, ApiKeyService service, CancellationToken ct,
        string? search = null, string[]? status = null, string? environment = null, bool includeRevoked = false,
        string? sort = null, string? order = null, int page = 0, int pageSize = 25)
    {
        var query = new KeyQuery { IncludeRevoked = includeRevoked, Page = page, PageSize = pageSize };
        if (search is { Length: > SearchMaxLength }) return ApiProblems.Invalid("search", $"Search must be at most {SearchMaxLength} characters.");
        query = query with { Search = search };

        var statuses = new List<KeyStatus>();
        foreach (var word in (status ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!ApiEnumNames.TryParseStatus(word, out var parsed))
                return ApiProblems.Invalid("status", $"Status must be one of {string.Join(", ", ApiEnumNames.Statuses)}.");
            statuses.Add(parsed);
        }
        query = query with { Statuses = statuses };

        if (environment is not null)
        {
            if (!ApiEnumNames.TryParseEnvironment(environment, out var parsed)) return ApiProblems.Invalid("environment", "Environment must be test or live.");
            query = query with { Environment = parsed };
        }
        if (sort is not null)
        {
            if (!ApiEnumNames.TryParseSort(sort, out var parsed))
                return ApiProblems.Invalid("sort", $"Sort must be one of {string.Join(", ", ApiEnumNames.Sorts)}.");
            query = query with { SortBy = parsed };
        }
        if (order is not null)
        {
            if (order is not ("asc" or "desc")) return ApiProblems.Invalid("order", "Order must be asc or desc.");
            query = query with { Descending = order == "desc" };
        }

        var result = await service.ListAsync(caller.Actor, caller.WorkspaceId, query, ct);
        return result.ToHttpResult(keyPage => TypedResults.Ok(
            new KeyListResponse(keyPage.Items.Select(ApiKeyResponse.From).ToList(), keyPage.TotalCount, query.Page, query.PageSize)));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, ApiCaller caller, ApiKeyService service, HttpResponse response, CancellationToken ct) =>
        (await service.GetAsync(caller.Actor, caller.WorkspaceId, id, ct))
            .ToHttpResult(key => response.WithETag(key, TypedResults.Ok(ApiKeyResponse.From(key))));

    private static async Task<Results<Created<IssuedKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateKeyBody body, ApiCaller caller, ApiKeyService service, HttpResponse response, CancellationToken ct)
    {
        var environment = KeyEnvironment.Test;
        if (body.Environment is not null && !ApiEnumNames.TryParseEnvironment(body.Environment, out environment))
            return ApiProblems.Invalid("environment", "Environment must be test or live.");
        var request = new CreateKeyRequest
        {
            Name = body.Name,
            Description = body.Description,
            OwnerUserId = body.OwnerUserId,
            Environment = environment,
            Scopes = body.Scopes ?? [],
            ExpiresAt = body.ExpiresAt,
            NeverExpires = body.NeverExpires ?? false,
        };
        var result = await service.CreateAsync(caller.Actor, caller.WorkspaceId, request, ct);
        return result.ToHttpResult(issued =>
            response.WithETag(issued.Key, TypedResults.Created($"/api/v1/keys/{issued.Key.Id}", IssuedKeyResponse.From(issued))));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ValidationProblem, ProblemHttpResult>> EditAsync(
        string id, EditKeyBody body, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct)
    {
        if (!KeyVersionHeaders.TryReadIfMatch(context.Request, out var seenVersion, out var badIfMatch)) return badIfMatch!;
        var current = await service.GetAsync(caller.Actor, caller.WorkspaceId, id, ct);
        if (current is not { Succeeded: true, Value: { } seen }) return current.ToProblem();
        var request = new EditKeyRequest(body.Name ?? seen.Name, body.Description ?? seen.Description, body.Scopes, body.ExpiresAt);
        // The fields left out are filled from the key as read just now, so without If-Match the edit applies to that version.
        return (await service.EditAsync(caller.Actor, caller.WorkspaceId, id, request, seenVersion ?? seen.Version, ct))
            .ToHttpResult(key => context.Response.WithETag(key, TypedResults.Ok(ApiKeyResponse.From(key))));
    }

    private static async Task<Results<Ok<IssuedKeyResponse>, ValidationProblem, ProblemHttpResult>> RotateAsync(
        string id, RotateKeyBody? body, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct)
    {
        var grace = RotationGrace.OneDay;
        if (body?.Grace is not null && !ApiEnumNames.TryParseGrace(body.Grace, out grace))
            return ApiProblems.Invalid("grace", "Grace must be none, 1h, 24h or 7d.");
        if (!KeyVersionHeaders.TryReadIfMatch(context.Request, out var seenVersion, out var badIfMatch)) return badIfMatch!;
        return (await service.RotateAsync(caller.Actor, caller.WorkspaceId, id, grace, seenVersion, ct))
            .ToHttpResult(issued => context.Response.WithETag(issued.Key, TypedResults.Ok(IssuedKeyResponse.From(issued))));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        string id, ApiCaller caller, ApiKeyService service, CancellationToken ct, string? reason = null) =>
        (await service.RevokeAsync(caller.Actor, caller.WorkspaceId, id, reason, ct)).ToHttpResult(_ => TypedResults.NoContent());
}
