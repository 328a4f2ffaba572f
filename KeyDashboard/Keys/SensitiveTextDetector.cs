using System.Text.RegularExpressions;

namespace KeyDashboard.Keys;

/// <summary>
/// Spots what should not go into a key's name or description: names and descriptions are shown to every
/// member and written to the audit log, so a pasted secret or someone's personal data would spread.
/// </summary>
public static partial class SensitiveTextDetector
{
    /// <summary>A warning to show, or null when the text looks fine.</summary>
    public static string? Warn(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (KeyLike().IsMatch(text)) return "This looks like an API key or a secret. Never put a key into its name or description.";
        if (Email().IsMatch(text)) return "This contains an e-mail address. Name keys for their purpose, not for a person.";
        if (PhoneOrCardNumber().IsMatch(text)) return "This looks like a phone or card number. Keep personal data out of key names and descriptions.";
        return null;
    }

    [GeneratedRegex(@"\b(kd|sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}|\b(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[a-z])(?=[A-Za-z0-9_\-]*[A-Z])[A-Za-z0-9_\-]{24,}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<!\w)\+?\d[\d \-().]{7,}\d(?!\w)")]
    private static partial Regex PhoneOrCardNumber();
}
