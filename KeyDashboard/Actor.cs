using System.Security.Claims;

namespace KeyDashboard;

/// <summary>
/// Who is acting: a signed-in user, or an integration using a key that acts as its owning member.
/// Services take an actor and check the member's role in the database themselves.
/// </summary>
public sealed record Actor(string UserId, string Name, string? ClientAddress = null)
{
    /// <summary>Set when the call came through the API with this key.</summary>
    public string? KeyId { get; init; }

    /// <summary>The address a signed-in user's request came from, for the audit log (see <c>WorkspaceClaims</c>).</summary>
    public const string ClientAddressClaimType = "kd:client_address";

    public static Actor FromPrincipal(ClaimsPrincipal principal, string? clientAddress = null) =>
        new(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user is not signed in."),
            principal.Identity?.Name ?? "", clientAddress ?? principal.FindFirstValue(ClientAddressClaimType));
}
