namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A test that drives Debian's Chromium. Skipped, with the reason, on a developer's machine without it;
/// never skipped when <c>CI=true</c>, so a CI run without a browser fails instead of passing quietly.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromiumMissing = $"Chromium is not installed at {ChromiumPath} (apt-get install -y chromium); browser tests run in CI.";

    public BrowserFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(ChromiumPath) && !inCi)
            Skip = ChromiumMissing;
    }
}
