using System.Security.Claims;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Components.Account;

// An interactive circuit makes no HTTP requests, so its user's claims are checked here instead: every minute,
// the security stamp and the role in the current workspace. When either changed, the circuit's user is signed
// out and the next page load picks up the new membership. Services re-check the role on every action anyway.
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = authenticationState.User;
        var user = await userManager.GetUserAsync(principal);
        if (user is null) return false;
        if (userManager.SupportsUserSecurityStamp
            && principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType) != await userManager.GetSecurityStampAsync(user))
            return false;

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var current = await WorkspaceClaims.CurrentMembershipAsync(db, user.Id);
        return current?.WorkspaceId == principal.CurrentWorkspaceId()
            && principal.IsInRole(current?.Role ?? "")
            || current is null && principal.CurrentWorkspaceId() is null;
    }
}
