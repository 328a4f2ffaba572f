namespace KeyDashboard.SignIn;

/// <summary>
/// The <c>KeyDashboard:SignIn</c> section: how failed sign-ins (a password, an authenticator code or a recovery code)
/// are slowed down. Wrong guesses cost an attacker time without handing them a way to lock people out: the quick
/// limits count per client address, and only <see cref="LockoutAfterFailures"/> counts per account.
/// </summary>
public sealed class SignInSettings
{
    /// <summary>Failures one client address (an IPv6 address by its /64) may make per window before its sign-ins are refused unchecked.</summary>
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>The window <see cref="FailuresPerAddress"/> counts in, in minutes.</summary>
    public int FailuresPerAddressMinutes { get; set; } = 15;

    /// <summary>Consecutive failures for one account from one address before each further attempt must wait.</summary>
    public int FailuresBeforeDelay { get; set; } = 5;

    /// <summary>The first wait; each further failure doubles it, up to <see cref="LongestDelaySeconds"/>.</summary>
    public int FirstDelaySeconds { get; set; } = 1;

    public int LongestDelaySeconds { get; set; } = 60;

    /// <summary>
    /// Consecutive failures for one account, from anywhere, that lock it (Identity's lockout). NIST SP 800-63B allows
    /// at most 100.
    /// </summary>
    public int LockoutAfterFailures { get; set; } = 100;

    public int LockoutMinutes { get; set; } = 60;
}
