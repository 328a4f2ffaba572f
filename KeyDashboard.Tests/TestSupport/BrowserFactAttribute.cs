namespace KeyDashboard.Tests.TestSupport;

/// <summary>A test that drives Debian's Chromium.</summary>
public sealed class BrowserFactAttribute() : NeedsInstalledFactAttribute(File.Exists(ChromiumPath), ChromiumMissing)
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromiumMissing = $"Chromium is not installed at {ChromiumPath} (apt-get install -y chromium); browser tests run in CI.";
}
