using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyDashboard.SignIn;

public static class SignInSetup
{
    /// <summary>The limits on failed sign-ins (see <see cref="SignInSettings"/>), Identity's lockout among them.</summary>
    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddSingleton<SignInFailuresPerAddress>();
        services.AddSingleton<AccountFailureDelays>();
        services.AddSingleton<UnknownAccountLockouts>();
        services.AddScoped<SignInThrottle>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<KeyDashboardOptions>>((identity, options) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = options.Value.SignIn.LockoutAfterFailures;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(options.Value.SignIn.LockoutMinutes);
        });
        return services;
    }
}
