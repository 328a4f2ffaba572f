using Microsoft.AspNetCore.Authentication;

namespace KeyDashboard.Api.KeyAuthentication;

public static class KeyAuthenticationSetup
{
    /// <summary>The <see cref="ApiKeyClaims.Scheme"/> scheme and what decides a presented key: the verified-key cache and the failure limiter.</summary>
    public static IServiceCollection AddKeyAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<VerifiedKeyCache>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null);
        return services;
    }
}
