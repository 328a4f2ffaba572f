using KeyDashboard.Data;
using KeyDashboard.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Components.Account;

/// <summary>
/// Identity's sign-in, except that a password sign-in for an address with no account does the same work as one for a
/// real account: it checks the password against a dummy hash. Otherwise a wrong password on a real account takes the
/// hash's time (hundreds of milliseconds) and an unknown address almost none, which tells anyone which accounts exist.
/// For the same reason an unknown address is locked out as an account would be (see <see cref="UnknownAccountLockouts"/>).
/// </summary>
public sealed class EvenSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    UnknownAccountLockouts unknownAccounts)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly ApplicationUser Nobody = new() { UserName = "nobody" };
    // Made with the app's own hasher and settings on first use, so checking it costs what checking a real hash costs.
    private static string? _dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null) return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // As Identity does for a locked account: refused before any password is checked.
        var name = UserManager.NormalizeName(userName);
        if (unknownAccounts.IsLockedOut(name)) return SignInResult.LockedOut;
        var hasher = UserManager.PasswordHasher;
        _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
        return lockoutOnFailure && unknownAccounts.CountFailure(name) ? SignInResult.LockedOut : SignInResult.Failed;
    }
}
