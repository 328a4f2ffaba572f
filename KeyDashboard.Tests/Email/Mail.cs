using System.Text.RegularExpressions;
using MimeKit;

namespace KeyDashboard.Tests.Email;

/// <summary>What the tests read in a received message.</summary>
public static partial class Mail
{
    /// <summary>The one link of the message's text part, after checking the HTML part carries the same one.</summary>
    public static Uri LinkIn(MimeMessage message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message.TextBody), "The message has no plain-text part.");
        Assert.False(string.IsNullOrWhiteSpace(message.HtmlBody), "The message has no HTML part.");
        var link = Assert.Single(LinkPattern().Matches(message.TextBody).Select(m => m.Value).Distinct());
        Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(link)}\"", message.HtmlBody);
        return new Uri(link);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
