using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KeyDashboard.Sessions;

public static class SessionsSetup
{
    /// <summary>Server-side sign-in sessions behind Identity's application cookie, and re-authentication. Call after Identity is added.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<UserSessions>();
        services.AddSingleton<Reauthentication>();
        services.AddSingleton<DatabaseTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((options, store) => options.SessionStore = store);
        services.AddHostedService<ExpiredSessionCleanup>();
        return services;
    }
}
