using System.Net;
using System.Text;

namespace KeyDashboard.Email;

/// <summary>
/// Every message the app sends, each as plain text and as HTML. Whatever a person chose (a workspace's or a key's name,
/// a reason) is HTML-encoded in the HTML part. No message holds a secret: a link carries only the one-time token its
/// page already expects (Identity's, or an invitation's), and a key appears by its name and display prefix.
/// </summary>
public static class EmailTemplates
{
    public static EmailContent Invitation(string workspaceName, string invitedBy, string role, Uri link, DateTimeOffset expiresAt)
    {
        var until = Utc(expiresAt);
        return Message($"{invitedBy} invited you to {workspaceName} on KeyDashboard",
            [$"{invitedBy} invited you to join the workspace {workspaceName} as {role}.", "You join only if you accept."],
            ("Answer the invitation", link),
            [$"The link works once, until {until}. If you did not expect this invitation, ignore this e-mail."]);
    }

    public static EmailContent PasswordReset(Uri link) => Message("Reset your KeyDashboard password",
        ["Someone asked to reset the password of your KeyDashboard account."],
        ("Choose a new password", link),
        ["The link works once. If you did not ask for this, ignore this e-mail: your password stays as it is."]);

    public static EmailContent AccountConfirmation(Uri link) => Message("Confirm your e-mail address for KeyDashboard",
        ["Confirm that this address belongs to your KeyDashboard account."],
        ("Confirm your address", link),
        ["If you did not create an account, ignore this e-mail."]);

    public static EmailContent EmailChange(string newEmail, Uri link) => Message("Confirm your new e-mail address for KeyDashboard",
        [$"Your KeyDashboard account asked to change its e-mail address to {newEmail}."],
        ("Confirm the new address", link),
        ["Your address changes only once you open the link. If you did not ask for this, ignore this e-mail."]);

    public static EmailContent KeyRevoked(RevokedKey key, Uri? keyPage) => Message($"Your API key {key.Name} was revoked",
        [$"Your API key {key.Name} ({key.DisplayPrefix}…) in the workspace {key.WorkspaceName} was revoked on {Utc(key.RevokedAt)} by {key.RevokedBy}.",
         key.Reason is null ? "No reason was given." : $"Reason: {key.Reason}",
         "Requests with this key are refused from now on. Revoking cannot be undone: if you still need a key, ask an owner or admin for a new one."],
        keyPage is null ? null : ("See the key", keyPage), []);

    public static EmailContent ExpiryDigest(IReadOnlyList<ExpiringKey> keys, Uri? dashboard)
    {
        var subject = keys.Count == 1 ? $"The API key {keys[0].Name} expires soon" : $"{keys.Count} API keys expire soon";
        var intro = keys.Count == 1
            ? "This API key expires within 7 days. Requests with it will be refused after that."
            : "These API keys expire within 7 days. Requests with them will be refused after that.";
        var text = new StringBuilder(intro).Append("\n\n");
        var html = new StringBuilder(Paragraph(intro))
            .Append("<table style=\"border-collapse:collapse;margin:0 0 16px\"><tr>")
            .Append(string.Concat(new[] { "Key", "Workspace", "Expires" }.Select(h => $"<th style=\"{Cell}text-align:left\">{h}</th>")))
            .Append("</tr>");
        foreach (var key in keys)
        {
            text.Append($"- {key.Name} ({key.DisplayPrefix}…) in {key.WorkspaceName}, expires {Utc(key.ExpiresAt)}");
            text.Append(key.Page is null ? "\n" : $"\n  {key.Page.AbsoluteUri}\n");
            var name = key.Page is null ? Encode(key.Name) : $"<a href=\"{Encode(key.Page.AbsoluteUri)}\" style=\"color:#3b4fd8\">{Encode(key.Name)}</a>";
            html.Append($"<tr><td style=\"{Cell}\">{name} <code>{Encode(key.DisplayPrefix)}…</code></td>")
                .Append($"<td style=\"{Cell}\">{Encode(key.WorkspaceName)}</td><td style=\"{Cell}\">{Encode(Utc(key.ExpiresAt))}</td></tr>");
        }
        html.Append("</table>");
        const string advice = "Rotate a key that is still in use, or create a new one, before it expires.";
        text.Append('\n').Append(advice).Append('\n');
        html.Append(Paragraph(advice));
        if (dashboard is not null)
        {
            text.Append($"\n{dashboard.AbsoluteUri}\n");
            html.Append(Button("Open the dashboard", dashboard));
        }
        return new EmailContent(subject, text.ToString(), Layout(subject, html.ToString()));
    }

    private const string Cell = "border-bottom:1px solid #e0e0e0;padding:6px 12px 6px 0;";

    private static EmailContent Message(string subject, string[] before, (string Label, Uri Link)? action, string[] after)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        foreach (var line in before)
        {
            text.Append(line).Append("\n\n");
            html.Append(Paragraph(line));
        }
        if (action is var (label, link))
        {
            text.Append($"{label}:\n{link.AbsoluteUri}\n\n");
            html.Append(Button(label, link));
        }
        foreach (var line in after)
        {
            text.Append(line).Append("\n\n");
            html.Append(Paragraph(line));
        }
        return new EmailContent(subject, text.ToString().TrimEnd() + "\n", Layout(subject, html.ToString()));
    }

    private static string Paragraph(string text) => $"<p style=\"margin:0 0 16px\">{Encode(text)}</p>";

    private static string Button(string label, Uri link) =>
        $"<p style=\"margin:0 0 16px\"><a href=\"{Encode(link.AbsoluteUri)}\" style=\"display:inline-block;background:#3b4fd8;color:#ffffff;" +
        $"padding:10px 18px;border-radius:4px;text-decoration:none;font-weight:600\">{Encode(label)}</a></p>" +
        $"<p style=\"margin:0 0 16px;font-size:13px;color:#616161\">Or open this address: <span style=\"word-break:break-all\">{Encode(link.AbsoluteUri)}</span></p>";

    private static string Layout(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        $"<title>{Encode(title)}</title></head>" +
        "<body style=\"margin:0;padding:24px;background:#f6f7fb;font-family:Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#212121\">" +
        "<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:6px;overflow:hidden\">" +
        "<div style=\"background:#1f2340;color:#ffffff;padding:14px 24px;font-size:18px;font-weight:600\">KeyDashboard</div>" +
        $"<div style=\"padding:24px\"><h1 style=\"font-size:20px;margin:0 0 16px\">{Encode(title)}</h1>{body}</div></div></body></html>";

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>What the revoked-key notice says about the key: never its secret or hash.</summary>
public sealed record RevokedKey(string Name, string DisplayPrefix, string WorkspaceName, DateTimeOffset RevokedAt, string RevokedBy, string? Reason);

/// <summary>One line of the expiry digest.</summary>
public sealed record ExpiringKey(string Name, string DisplayPrefix, string WorkspaceName, DateTimeOffset ExpiresAt, Uri? Page);
