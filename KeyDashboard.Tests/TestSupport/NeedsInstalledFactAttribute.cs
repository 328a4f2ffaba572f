namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A test that needs a Debian package the machine may lack. Skipped, with the reason, on a developer's machine
/// without it; never skipped when <c>CI=true</c>, so a CI run without it fails instead of passing quietly.
/// </summary>
public abstract class NeedsInstalledFactAttribute : FactAttribute
{
    protected NeedsInstalledFactAttribute(bool installed, string missing)
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!installed && !inCi)
            Skip = missing;
    }
}
