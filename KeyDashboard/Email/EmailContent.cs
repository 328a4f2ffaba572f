namespace KeyDashboard.Email;

/// <summary>One message's subject and its two bodies, the same text as plain text and as HTML.</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>A message waiting for the <see cref="MailDispatcher"/>.</summary>
public sealed record OutgoingMail(string To, EmailContent Content);
