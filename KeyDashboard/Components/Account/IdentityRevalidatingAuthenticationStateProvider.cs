using System.Security.Claims;
using KeyDashboard.Data;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Components.Account;

// An interactive circuit makes no HTTP requests, so its user's claims are checked here instead: every minute,
// that its sign-in session still lasts (logout, the sessions page or a password change may have ended it on any
// instance), the security stamp and the role in the current workspace. When either changed, the circuit's user is signed
// out and the next page load picks up the new membership. Services re-check the role on every action anyway.
// A membership change announced on WorkspaceChanges applies at once: the circuit's claims follow the database,
// so a demoted user loses the actions without reloading and a removed one leaves the workspace.
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly WorkspaceChanges _changes;
    private readonly ILogger _logger;

    public IdentityRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options, WorkspaceChanges changes)
        : base(loggerFactory)
    {
        (_scopeFactory, _options, _changes) = (scopeFactory, options, changes);
        _logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();
        _changes.Changed += OnWorkspaceChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User, cancellationToken);

    /// <summary>What each revalidation checks; false signs the circuit's user out.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (!Guid.TryParse(principal.FindFirstValue(SessionClaims.SessionId), out var sessionId)
            || !await scope.ServiceProvider.GetRequiredService<UserSessions>().IsActiveAsync(sessionId, cancellationToken))
            return false;
        var user = await userManager.GetUserAsync(principal);
        if (user is null) return false;
        if (userManager.SupportsUserSecurityStamp
            && principal.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType) != await userManager.GetSecurityStampAsync(user))
            return false;

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var current = await WorkspaceClaims.CurrentMembershipAsync(db, user.Id);
        return WorkspaceClaims.Match(principal, current);
    }

    // Raised on the thread of whoever made the change; the cascading authentication state dispatches to this circuit.
    private void OnWorkspaceChanged(Guid workspaceId) => _ = FollowMembershipAsync(workspaceId);

    private async Task FollowMembershipAsync(Guid workspaceId)
    {
        try
        {
            var principal = (await GetAuthenticationStateAsync()).User;
            var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
            if (userId is null || principal.CurrentWorkspaceId() != workspaceId) return;

            await using var scope = _scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var current = await WorkspaceClaims.CurrentMembershipAsync(db, userId);
            if (WorkspaceClaims.Match(principal, current)) return;
            SetAuthenticationState(Task.FromResult(new AuthenticationState(WorkspaceClaims.WithMembership(principal, current))));
        }
        catch (Exception e)
        {
            // The minute's revalidation still catches the change.
            _logger.LogWarning(e, "Could not apply a membership change to an open session.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _changes.Changed -= OnWorkspaceChanged;
        base.Dispose(disposing);
    }
}
