namespace KeyDashboard.Email;

/// <summary>The <c>KeyDashboard:Email</c> section.</summary>
public sealed class EmailSettings
{
    /// <summary>The mail server. Without a <see cref="SmtpSettings.Host"/>, no e-mail leaves the server.</summary>
    public SmtpSettings Smtp { get; set; } = new();
}

/// <summary>The <c>KeyDashboard:Email:Smtp</c> section.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    /// <summary>Sign in to the server with this account, when set; otherwise send without authenticating.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, as <c>KeyDashboard &lt;keys@example.com&gt;</c> or a bare address.</summary>
    public string? From { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How the connection to the mail server is encrypted.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS from the start on port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
    /// <summary>No encryption: only for a relay on the same machine or network.</summary>
    None,
    /// <summary>STARTTLS, required: the connection fails if the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the start (SMTPS, usually port 465).</summary>
    SslOnConnect,
}
