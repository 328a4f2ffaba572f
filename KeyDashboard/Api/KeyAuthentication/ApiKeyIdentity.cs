using System.Security.Claims;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// The claims of a verified key (see <see cref="ApiKeyClaims"/>), built once per <see cref="VerifiedKey"/> and
/// shared by every request made with it, so a request does not rebuild one claim per scope. Shared means it must
/// not change: adding or removing a claim throws instead of leaking into other requests.
/// </summary>
public sealed class ApiKeyIdentity(VerifiedKey key)
    : ClaimsIdentity(ClaimsOf(key), ApiKeyClaims.Scheme, ClaimTypes.Name, ClaimTypes.Role)
{
    public override void AddClaim(Claim claim) => throw Unchangeable();
    public override void AddClaims(IEnumerable<Claim?> claims) => throw Unchangeable();
    public override void RemoveClaim(Claim? claim) => throw Unchangeable();
    public override bool TryRemoveClaim(Claim? claim) => false;

    private static InvalidOperationException Unchangeable() =>
        new("An API key's identity is shared by its requests; clone it to change its claims.");

    private static IEnumerable<Claim> ClaimsOf(VerifiedKey key)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, key.OwnerUserId);
        yield return new Claim(ClaimTypes.Name, key.OwnerName);
        yield return new Claim(ClaimTypes.Role, key.Role);
        yield return new Claim(WorkspaceClaims.WorkspaceIdType, key.WorkspaceId.ToString());
        yield return new Claim(WorkspaceClaims.WorkspaceNameType, key.WorkspaceName);
        yield return new Claim(ApiKeyClaims.KeyIdType, key.KeyId);
        foreach (var scope in key.Scopes) yield return new Claim(ApiKeyClaims.ScopeType, scope);
    }
}
