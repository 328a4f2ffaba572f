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

    /// <summary>
    /// The app itself, acting on something from outside (a leak report), not a person or a key. Its user id is empty,
    /// so no membership check ever lets it through: only code written for a system action accepts it.
    /// </summary>
    public bool IsSystem { get; init; }

    /// <summary>The sign-in session a person acts in (see <c>Sessions/UserSession</c>); null for keys and the system.</summary>
    public Guid? SessionId { get; init; }

    public static Actor System(string name, string? clientAddress) => new("", name, clientAddress) { IsSystem = true };

    /// <summary>The address a signed-in user's request came from, for the audit log (see <c>WorkspaceClaims</c>).</summary>
    public const string ClientAddressClaimType = "kd:client_address";

    public static Actor FromPrincipal(ClaimsPrincipal principal, string? clientAddress = null) =>
        new(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user is not signed in."),
            principal.Identity?.Name ?? "", clientAddress ?? principal.FindFirstValue(ClientAddressClaimType))
        {
            SessionId = Guid.TryParse(principal.FindFirstValue(Sessions.SessionClaims.SessionId), out var sessionId) ? sessionId : null,
        };
}
