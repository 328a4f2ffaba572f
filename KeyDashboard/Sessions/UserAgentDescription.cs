namespace KeyDashboard.Sessions;

/// <summary>
/// "Chrome on Windows", "Safari on iOS": the browser and system a session's user agent names, as people know them.
/// Only the common ones; order matters, since most browsers also call themselves Safari and many Chrome.
/// </summary>
public static class UserAgentDescription
{
    public const string UnknownBrowser = "Unknown browser";

    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("Chrome/", "Chrome"), ("CriOS/", "Chrome"),
        ("Version/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"), ("Macintosh", "macOS"), ("Linux", "Linux"),
    ];

    public static string Describe(string? userAgent)
    {
        var browser = Find(userAgent, Browsers);
        var system = Find(userAgent, Systems);
        // "Version/" alone is not Safari: other apps write it too.
        if (browser == "Safari" && !userAgent!.Contains("Safari/", StringComparison.Ordinal)) browser = null;
        return (browser, system) switch
        {
            (null, null) => UnknownBrowser,
            (null, _) => $"{UnknownBrowser} on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }

    private static string? Find(string? userAgent, (string Token, string Name)[] candidates) =>
        string.IsNullOrEmpty(userAgent) ? null
        : candidates.FirstOrDefault(c => userAgent.Contains(c.Token, StringComparison.Ordinal)).Name;
}
