using KeyDashboard.Api.KeyAuthentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

public static class MeEndpoint
{
    /// <summary><c>GET /me</c>: the calling key, for any valid key whatever its scopes.</summary>
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        api.MapGet("/me", Me).WithTags("Me").WithName("GetMe").WithSummary("The key making this call: its workspace, owner, role, scopes, expiry and usage.")
            .Produces<MeResponse>();
        return api;
    }

    private static JsonHttpResult<MeResponse> Me(HttpContext context)
    {
        var (key, at, from, usageCount) = context.Features.Get<AuthenticatedKey>()!;
        return TypedResults.Json(new MeResponse(key.KeyId, key.Name, key.DisplayPrefix, ApiEnumNames.Of(key.Environment),
            new WorkspaceRef(key.WorkspaceId, key.WorkspaceName), new OwnerRef(key.OwnerUserId, key.OwnerName), key.Role, key.Scopes,
            key.ExpiresAt, usageCount, at, from), ApiJsonContext.Default.MeResponse);
    }
}

/// <summary>The calling key. Usage includes this call, so <c>lastUsedAt</c> is now.</summary>
public sealed record MeResponse(
    string KeyId,
    string Name,
    string Prefix,
    string Environment,
    WorkspaceRef Workspace,
    OwnerRef Owner,
    string Role,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    long UsageCount,
    DateTimeOffset LastUsedAt,
    string? LastUsedFrom);

public sealed record WorkspaceRef(Guid Id, string Name);

/// <summary>The member a key acts as.</summary>
public sealed record OwnerRef(string Id, string Name);
