namespace KeyDashboard.Tests.TestSupport;

/// <summary>Key strings spoiled in one particular way.</summary>
public static class KeySecrets
{
    /// <summary><paramref name="secret"/> with its last character changed: still key-shaped, but its checksum no longer matches.</summary>
    public static string WithWrongChecksum(string secret) => secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');
}
