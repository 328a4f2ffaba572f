using System.Reflection;
using System.Security.Claims;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Api;

/// <summary>
/// The key making the call, bound from the authenticated principal: the actor the services and the audit trail
/// see (the key's owner, with the key id and the client address) and the key's workspace.
/// </summary>
public sealed record ApiCaller(Actor Actor, Guid WorkspaceId)
{
    public static ValueTask<ApiCaller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(From(context));

    public static ApiCaller? From(HttpContext context)
    {
        var user = context.User;
        var keyId = user.FindFirstValue(ApiKeyClaims.KeyIdType);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (keyId is null || userId is null || user.CurrentWorkspaceId() is not { } workspaceId) return null;
        // The audit log names a key actor by the key's name and prefix, as people know it.
        var name = context.Features.Get<AuthenticatedKey>()?.Key is { } key ? $"{key.Name} ({key.DisplayPrefix})" : user.Identity?.Name ?? userId;
        var actor = new Actor(userId, name, context.Connection.RemoteIpAddress?.ToString()) { KeyId = keyId };
        return new ApiCaller(actor, workspaceId);
    }
}
