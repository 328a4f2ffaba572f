using KeyDashboard.Email;

namespace KeyDashboard.Tests.Email;

/// <summary>Every message: a plain-text and an HTML part, what people chose encoded in the HTML, the link in both.</summary>
public sealed class EmailTemplatesTests
{
    private const string Hostile = "<script>alert(1)</script> & \"co\"";
    private static readonly Uri Link = new("https://keys.example.test/Account/ResetPassword?code=abc&x=1");
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string, EmailContent> Messages() => new()
    {
        { "invitation", EmailTemplates.Invitation(Hostile, Hostile, "admin", Link, At) },
        { "password reset", EmailTemplates.PasswordReset(Link) },
        { "account confirmation", EmailTemplates.AccountConfirmation(Link) },
        { "e-mail change", EmailTemplates.EmailChange(Hostile, Link) },
        { "revoked key", EmailTemplates.KeyRevoked(new RevokedKey(Hostile, "kd_live_AbC4", Hostile, At, Hostile, Hostile), Link) },
        { "expiry digest", EmailTemplates.ExpiryDigest([new ExpiringKey(Hostile, "kd_test_XyZ9", Hostile, At, Link)], Link) },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_has_both_parts_encodes_what_people_chose_and_carries_its_link(string kind, EmailContent message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message.Subject), kind);
        Assert.Contains(Link.AbsoluteUri, message.Text);
        Assert.Contains("href=\"https://keys.example.test/Account/ResetPassword?code=abc&amp;x=1\"", message.Html);
        Assert.DoesNotContain("<script>", message.Html);
        Assert.StartsWith("<!DOCTYPE html>", message.Html);
        if (message.Text.Contains(Hostile)) Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;", message.Html);
    }

    [Fact]
    public void A_revoked_key_notice_without_a_public_address_has_no_link()
    {
        var message = EmailTemplates.KeyRevoked(new RevokedKey("ci-deploy", "kd_live_AbC4", "Acme", At, "admin@acme.test", null), keyPage: null);

        Assert.DoesNotContain("http", message.Text + message.Html.Replace("<!DOCTYPE html>", ""));
        Assert.Contains("No reason was given.", message.Text);
        Assert.Contains("2026-12-01 09:30 UTC", message.Text);
    }

    /// <summary>Writes each message's HTML part next to the test output, for a look in a browser.</summary>
    [Fact]
    public void Each_html_part_is_written_for_a_look()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "email-previews");
        Directory.CreateDirectory(folder);
        foreach (var row in Messages())
        {
            var (kind, message) = ((string)row[0], (EmailContent)row[1]);
            File.WriteAllText(Path.Combine(folder, kind.Replace(' ', '-') + ".html"), message.Html);
        }
        Assert.Equal(6, Directory.GetFiles(folder, "*.html").Length);
    }
}
