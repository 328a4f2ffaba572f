namespace KeyDashboard.Email;

/// <summary>Where the messages the app sends end up: decided once at start from configuration and environment.</summary>
public enum MailDelivery
{
    /// <summary>No mail server and not Development: nothing is sent, and the pages say so instead of promising an e-mail.</summary>
    None,
    /// <summary>Through the configured SMTP server.</summary>
    Smtp,
    /// <summary>Development without a mail server: each message is an <c>.eml</c> file in the data folder's <c>mail/</c>.</summary>
    Folder,
}
