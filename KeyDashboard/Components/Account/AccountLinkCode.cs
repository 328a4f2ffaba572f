using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace KeyDashboard.Components.Account;

/// <summary>The token in an account e-mail's link (confirm the address, reset the password, change the address), Base64Url-encoded.</summary>
internal static class AccountLinkCode
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token; a link that was cut short or mangled gives one that Identity refuses as invalid, rather than a 500.</summary>
    public static string Decode(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
