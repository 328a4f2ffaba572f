namespace KeyDashboard.Tests.TestSupport;

/// <summary>A test against a real mail server (<see cref="SmtpSink"/>: Debian's python3-aiosmtpd).</summary>
public sealed class SmtpFactAttribute() : NeedsInstalledFactAttribute(SmtpSink.IsInstalled, AiosmtpdMissing)
{
    public const string AiosmtpdMissing =
        $"aiosmtpd is not installed for {SmtpSink.Python} (apt-get install -y python3-aiosmtpd); the SMTP tests run in CI.";
}
