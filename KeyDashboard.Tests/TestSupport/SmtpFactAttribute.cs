namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A test against a real mail server (<see cref="SmtpSink"/>: Debian's python3-aiosmtpd). Skipped, with the reason, on a
/// developer's machine without it; never skipped when <c>CI=true</c>, so a CI run without it fails instead.
/// </summary>
public sealed class SmtpFactAttribute : FactAttribute
{
    public const string AiosmtpdMissing =
        $"aiosmtpd is not installed for {SmtpSink.Python} (apt-get install -y python3-aiosmtpd); the SMTP tests run in CI.";

    public SmtpFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!SmtpSink.IsInstalled && !inCi)
            Skip = AiosmtpdMissing;
    }
}
