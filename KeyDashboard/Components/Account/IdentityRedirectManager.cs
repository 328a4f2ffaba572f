using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using KeyDashboard.Data;

namespace KeyDashboard.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalAddress(navigationManager.BaseUri, uri));

    /// <summary>
    /// <paramref name="uri"/> resolved as a browser would, when that is a page of this app, and the home page otherwise:
    /// where the sign-in, the log out and every account page redirect, so a <c>ReturnUrl</c> never sends a user to
    /// another site (an open redirect) nor to a <c>javascript:</c> address.
    /// </summary>
    public static string LocalAddress(string baseUri, string? uri)
    {
        var home = new Uri(baseUri);
        // Browsers drop tabs and line breaks from an address and read a backslash as a slash: refuse rather than guess.
        if (string.IsNullOrEmpty(uri) || uri.Any(c => char.IsControl(c) || c == '\\')) return home.AbsoluteUri;
        return Uri.TryCreate(home, uri, out var target)
            && Uri.Compare(target, home, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            && target.AbsolutePath.StartsWith(home.AbsolutePath, StringComparison.Ordinal)
            ? target.AbsoluteUri
            : home.AbsoluteUri;
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<ApplicationUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
