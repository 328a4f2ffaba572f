using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// A wrong password for a real account and any password for an address with no account do the same work: each checks
/// one password hash. Without that, the unknown address answers many times faster, and the time tells which accounts
/// exist. (Counted, not timed: the hash check is the work that took the time.)
/// </summary>
public sealed class EvenSignInTests : IAsyncLifetime
{
    private readonly CountingHasher _hasher = new();
    private readonly KeyDashboardFactory _app;

    public EvenSignInTests() => _app = new KeyDashboardFactory
    {
        ConfigureServices = services => services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>>(_ => _hasher)),
    };

    [Fact]
    public async Task Signing_in_to_an_unknown_address_checks_a_password_hash_as_a_wrong_password_does()
    {
        var user = await _app.AddUserAsync();

        _hasher.Verified = 0;
        await _app.CreateBrowser().SignInAsync(user.Email!, "not-the-password-1");
        var forAccount = _hasher.Verified;
        _hasher.Verified = 0;
        await _app.CreateBrowser().SignInAsync($"nobody-{Guid.NewGuid():N}@acme.test", "not-the-password-1");
        var forNobody = _hasher.Verified;

        Assert.Equal(1, forAccount);
        Assert.Equal(forAccount, forNobody);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _real = new();
        public int Verified;

        public string HashPassword(ApplicationUser user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verified);
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
