using MimeKit;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>The <c>.eml</c> files in a folder: what the app wrote in Development, or what the <see cref="SmtpSink"/> received.</summary>
public sealed class MailFolder(string path)
{
    public string Path { get; } = path;

    public IReadOnlyList<MimeMessage> Messages() => !Directory.Exists(Path) ? []
        : Directory.GetFiles(Path, "*.eml").Order().Select(file => MimeMessage.Load(file)).ToList();

    /// <summary>The messages to <paramref name="to"/>, once there are at least <paramref name="count"/>; fails after 15 s.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string to, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var messages = To(to);
            if (messages.Count >= count) return messages;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{messages.Count} of {count} e-mails to {to} arrived in {Path} within 15 s.");
            await Task.Delay(50);
        }
    }

    public IReadOnlyList<MimeMessage> To(string to) =>
        Messages().Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))).ToList();
}
