using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;

namespace KeyDashboard.Email;

/// <summary>
/// Identity's account messages through the <see cref="MailQueue"/>. The account pages pass the links unencoded; the
/// templates encode them for the HTML part. Whether anything is sent is <see cref="MailQueue.CanSend"/>, which the pages
/// ask before they promise an e-mail.
/// </summary>
public sealed class AccountEmailSender(MailQueue mail) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink)
    {
        mail.Send(email, EmailTemplates.AccountConfirmation(new Uri(confirmationLink)));
        return Task.CompletedTask;
    }

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink)
    {
        mail.Send(email, EmailTemplates.PasswordReset(new Uri(resetLink)));
        return Task.CompletedTask;
    }

    /// <summary>Identity's API endpoints send codes instead of links; this app does not map them.</summary>
    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        throw new NotSupportedException("Password reset codes are not used: the reset page sends a link.");

    /// <summary>The link that confirms a new address, sent to that new address.</summary>
    public void SendEmailChangeLink(string newEmail, string confirmationLink) =>
        mail.Send(newEmail, EmailTemplates.EmailChange(newEmail, new Uri(confirmationLink)));
}
