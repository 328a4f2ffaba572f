using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Sessions;

/// <summary>Sessions live in the database, so every app instance over it sees the same ones.</summary>
public sealed class SharedDatabaseSessionTests
{
    [Fact]
    public async Task A_logout_on_one_instance_ends_the_session_on_the_other()
    {
        await using var first = new KeyDashboardFactory { KeepDataDirectory = true };
        await using var second = new KeyDashboardFactory { DataDirectory = first.DataDirectory };
        var signedIn = await SessionBrowser.SignedInAsync(first, first.World.Owner.Email!);
        var cookie = signedIn.SessionCookie;
        var onSecond = new SessionBrowser(second);
        onSecond.UseSessionCookie(cookie);
        Assert.True(await SessionBrowser.IsSignedInAsync(onSecond.Client));

        await onSecond.LogOutAsync();

        Assert.False(await SessionBrowser.IsSignedInAsync(SessionBrowser.Replaying(first, cookie)));
        Assert.False(await SessionBrowser.IsSignedInAsync(signedIn.Client));
    }
}
