using KeyDashboard.Audit;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Components.Account;

/// <summary>
/// Commands for the server's operator, run as <c>dotnet KeyDashboard.dll &lt;command&gt;</c> with the app's own
/// configuration and services, without starting the web server, on a database the app has started on (and migrated)
/// before; the link is all they print. Only someone who runs the server can run them: no workspace owner can, since
/// an account may belong to other workspaces too.
/// </summary>
public static class AccountCommands
{
    public const string ResetPassword = "reset-password";
    private const string BaseUrlOption = "--base-url";

    /// <summary>Runs the command <paramref name="args"/> name, if any, and sets the exit code; false when they name none.</summary>
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args.FirstOrDefault() != ResetPassword) return false;
        await using var scope = app.Services.CreateAsyncScope();
        Environment.ExitCode = await ResetPasswordAsync(scope.ServiceProvider, args[1..], Console.Out, Console.Error);
        return true;
    }

    /// <summary>
    /// <c>reset-password someone@example.com [--base-url https://keys.example.com]</c>: prints a password reset link
    /// for the account, the one the "Forgot your password?" page would send, and audits that it was issued (never the
    /// link). The link works once: resetting the password changes the account's security stamp, which the token holds.
    /// </summary>
    /// <returns>The exit code: 0 with the link printed, 1 for an unknown address, 2 for a wrong command line.</returns>
    public static async Task<int> ResetPasswordAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var email, out var baseUrl))
        {
            await error.WriteLineAsync($"Usage: {ResetPassword} someone@example.com [{BaseUrlOption} https://keys.example.com]");
            return 2;
        }
        baseUrl ??= services.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.PublicUrl;
        // With a trailing slash, so that a dashboard served under a path keeps it.
        if (!Uri.TryCreate(baseUrl?.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http"))
        {
            await error.WriteLineAsync($"Set KeyDashboard:PublicUrl, or pass {BaseUrlOption}, to the address people open the dashboard at, e.g. https://keys.example.com.");
            return 2;
        }
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(email) is not { } user)
        {
            await error.WriteLineAsync($"No account has the address {email}.");
            return 1;
        }
        var code = AccountLinkCode.Encode(await users.GeneratePasswordResetTokenAsync(user));
        await services.GetRequiredService<SignInAudit>().RecordResetLinkIssuedAsync(user);
        await output.WriteLineAsync(new Uri(baseUri, $"Account/ResetPassword?code={code}").AbsoluteUri);
        return 0;
    }

    private static bool TryParse(string[] args, out string email, out string? baseUrl)
    {
        (email, baseUrl) = ("", null);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == BaseUrlOption && i + 1 < args.Length) baseUrl = args[++i];
            else if (args[i].StartsWith(BaseUrlOption + "=", StringComparison.Ordinal)) baseUrl = args[i][(BaseUrlOption.Length + 1)..];
            else if (email.Length == 0 && !args[i].StartsWith('-')) email = args[i];
            else return false;
        }
        return email.Length > 0;
    }
}
