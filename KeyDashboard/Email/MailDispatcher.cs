using KeyDashboard.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KeyDashboard.Email;

/// <summary>
/// Sends what <see cref="MailQueue"/> holds, one message at a time: over SMTP (MailKit), or in Development as
/// <c>.eml</c> files in the data folder's <c>mail/</c>. A message that fails is logged, without its body (which may hold
/// a one-time link), and dropped: the action that sent it has succeeded already.
/// </summary>
internal sealed class MailDispatcher(MailQueue queue, IOptions<KeyDashboardOptions> options, DataDirectory dataDirectory,
    TimeProvider clock, ILogger<MailDispatcher> logger) : BackgroundService
{
    public const string FolderName = "mail";
    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);

    private SmtpSettings Smtp => options.Value.Email.Smtp;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var message = Compose(mail);
                    if (queue.Delivery == MailDelivery.Smtp) await SendOverSmtpAsync(message, stoppingToken);
                    else await WriteToFolderAsync(message, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The exception names the server's answer, never the message's body.
                    logger.LogError(e, "The e-mail \"{Subject}\" to {Recipient} could not be sent.", mail.Content.Subject, mail.To);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private MimeMessage Compose(OutgoingMail mail)
    {
        var message = new MimeMessage { Subject = mail.Content.Subject, Date = clock.GetUtcNow() };
        message.From.Add(queue.Delivery == MailDelivery.Smtp ? MailboxAddress.Parse(Smtp.From!) : new MailboxAddress("KeyDashboard", "keydashboard@localhost"));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Body = new BodyBuilder { TextBody = mail.Content.Text, HtmlBody = mail.Content.Html }.ToMessageBody();
        return message;
    }

    private async Task SendOverSmtpAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        await client.ConnectAsync(Smtp.Host!, Smtp.Port, Smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        }, ct);
        if (!string.IsNullOrEmpty(Smtp.UserName)) await client.AuthenticateAsync(Smtp.UserName, Smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    private async Task WriteToFolderAsync(MimeMessage message, CancellationToken ct)
    {
        var folder = Path.Combine(dataDirectory.Path, FolderName);
        Directory.CreateDirectory(folder);
        // Sorted by time in a file browser; written under another name first, so no reader sees half a message.
        var path = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path + ".tmp", ct);
        File.Move(path + ".tmp", path);
        logger.LogInformation("E-mail \"{Subject}\" to {Recipient} written to {Path}.", message.Subject, message.To, path);
    }
}
