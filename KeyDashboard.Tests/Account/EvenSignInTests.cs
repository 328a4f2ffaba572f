using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// A wrong password for a real account and any password for an address with no account do the same work: each checks
/// one password hash. Without that, the unknown address answers many times faster, and the time tells which accounts
/// exist. (Counted, not timed: the hash check is the work that took the time.)
/// </summary>
public sealed class EvenSignInTests : IAsyncLifetime
{
    private readonly CountingPasswordHasher _hasher = new();
    private readonly KeyDashboardFactory _app;

    public EvenSignInTests() => _app = new KeyDashboardFactory
    {
        ConfigureServices = _hasher.ReplaceIn,
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
}
