using System.Globalization;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;

namespace KeyDashboard.SignIn;

/// <summary>
/// What the sign-in forms ask before they check a password or a code, and tell after: refuses an address that has
/// failed too often, and an account's next attempt from an address while its wait lasts. A refusal checks nothing,
/// answers 429 with <c>Retry-After</c>, is audited, and reads the same whether or not the account exists. (Attempts
/// already past the check when an address's last failure is used up still finish: at most those that run at once.)
/// </summary>
public sealed class SignInThrottle(
    SignInFailuresPerAddress addresses,
    AccountFailureDelays accounts,
    UserManager<ApplicationUser> users,
    SignInAudit audit)
{
    /// <summary>
    /// The message to show instead of checking the password or code for <paramref name="accountName"/> (the user name
    /// typed, or the one the second step is for), or null to go on and check it.
    /// </summary>
    public async Task<string?> RefusalAsync(string accountName, string method, HttpContext http, CancellationToken ct = default)
    {
        var address = ClientAddress(http);
        string limit, message;
        if (addresses.IsBlocked(address, out var wait))
            (limit, message) = ("address", "Too many sign-in attempts from your network. Try again in {0}.");
        else if ((wait = accounts.WaitFor(Normalized(accountName), address)) > TimeSpan.Zero)
            (limit, message) = ("account", "Too many failed sign-in attempts for this account. Try again in {0}.");
        else
            return null;

        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await audit.RecordThrottledAsync(accountName, method, limit, seconds, http, ct);
        return string.Format(CultureInfo.InvariantCulture, message, Duration(seconds));
    }

    /// <summary>Counts the outcome of a check that <see cref="RefusalAsync"/> let through.</summary>
    public void Count(string accountName, SignInResult result, HttpContext http)
    {
        // The password was right; the second step, on its own page, is what counts.
        if (result.RequiresTwoFactor) return;
        var address = ClientAddress(http);
        if (result.Succeeded)
        {
            accounts.CountSuccess(Normalized(accountName), address);
            return;
        }
        addresses.CountFailure(address);
        accounts.CountFailure(Normalized(accountName), address);
    }

    private string Normalized(string accountName) => users.NormalizeName(accountName.Trim());

    private static string? ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static string Duration(int seconds) =>
        seconds < 60 ? Plural(seconds, "second") : Plural((seconds + 59) / 60, "minute");

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
