using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Email;

public static class EmailSetup
{
    /// <summary>The mail queue and its sender, the links, Identity's messages, the revoked-key notices and the expiry digest.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddSingleton(sp => new MailQueue(
            DeliveryFor(sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Email.Smtp, sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<ILogger<MailQueue>>()));
        services.AddHostedService<MailDispatcher>();
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<AccountEmailSender>();
        services.AddSingleton<IEmailSender<ApplicationUser>>(sp => sp.GetRequiredService<AccountEmailSender>());
        services.AddSingleton<RevokedKeyNotices>();
        services.AddSingleton<ExpiryDigest>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiryDigest>());
        return services;
    }

    public static MailDelivery DeliveryFor(SmtpSettings smtp, IHostEnvironment environment)
    {
        if (smtp.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(smtp.From) || !MimeKit.MailboxAddress.TryParse(smtp.From, out _))
                throw new InvalidOperationException("KeyDashboard:Email:Smtp:From must be the sender's address, e.g. keys@example.com, when KeyDashboard:Email:Smtp:Host is set.");
            return MailDelivery.Smtp;
        }
        return environment.IsDevelopment() ? MailDelivery.Folder : MailDelivery.None;
    }
}
