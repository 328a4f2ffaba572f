using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Identity's own password hasher, counting how many passwords it checked: the work a sign-in did.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<ApplicationUser>
{
    private readonly PasswordHasher<ApplicationUser> _real = new();
    public int Verified;

    /// <summary>Puts this hasher in the app in place of Identity's.</summary>
    public void ReplaceIn(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>>(_ => this));

    public string HashPassword(ApplicationUser user, string password) => _real.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref Verified);
        return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
