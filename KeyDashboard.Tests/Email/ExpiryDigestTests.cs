using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Email;

/// <summary>The daily digest of keys about to expire, through a real SMTP server, on a fake clock.</summary>
public sealed class ExpiryDigestTests
{
    private const string PublicUrl = "https://keys.example.test";

    [SmtpFact]
    public async Task Each_key_is_mailed_once_per_threshold_to_its_owner_and_the_workspaces_owners_and_admins()
    {
        await using var sink = await SmtpSink.StartAsync();
        var clock = new FakeTimeProvider(TestWorld.SeededAt.AddDays(100));
        await using var app = new KeyDashboardFactory
        {
            Settings = new Dictionary<string, string>(sink.Settings) { ["KeyDashboard:PublicUrl"] = PublicUrl },
            ConfigureServices = services => services.AddSingleton<TimeProvider>(clock),
        };
        var member = await app.AddMemberAsync(Roles.Member);
        var now = clock.GetUtcNow();
        var inThreeDays = await KeyExpiringAsync(app, "three-days <key>", member, now.AddDays(3));
        var tomorrow = await KeyExpiringAsync(app, "tomorrow-key", app.World.Owner, now.AddHours(20));
        var later = await KeyExpiringAsync(app, "later-key", member, now.AddDays(10));
        var revoked = await KeyExpiringAsync(app, "revoked-key", member, now.AddDays(2));
        await app.UpdateKeyRowAsync(revoked, k => k.Revoke(app.World.Owner.Id, null, now));
        var digest = app.Services.GetRequiredService<ExpiryDigest>();
        // A second instance of the app, running its digest at the same moment on the same database.
        var secondInstance = ActivatorUtilities.CreateInstance<ExpiryDigest>(app.Services);

        await Task.WhenAll(digest.SendDueAsync(), secondInstance.SendDueAsync());
        await digest.SendDueAsync();

        var toMember = Assert.Single(await sink.Mail.WaitForAsync(member.Email!));
        Assert.Equal("The API key three-days <key> expires soon", toMember.Subject);
        Assert.Contains("three-days &lt;key&gt;", toMember.HtmlBody);
        Assert.Contains($"{PublicUrl}/keys/{inThreeDays}", toMember.TextBody);
        Assert.Contains($"href=\"{PublicUrl}/keys/{inThreeDays}\"", toMember.HtmlBody);
        Assert.DoesNotContain("tomorrow-key", toMember.TextBody);
        foreach (var manager in new[] { app.World.Owner, app.World.Admin })
        {
            var digests = (await sink.Mail.WaitForAsync(manager.Email!)).Where(m => (m.TextBody ?? "").Contains("three-days <key>")).ToList();
            Assert.Contains("tomorrow-key", Assert.Single(digests).TextBody);
        }
        Assert.DoesNotContain(sink.Mail.Messages(), m => m.TextBody!.Contains("later-key") || m.TextBody.Contains("revoked-key"));
        Assert.Equal([(7, 3), (1, 2)], await NoticesAsync(app, inThreeDays, tomorrow));

        clock.Advance(TimeSpan.FromDays(2.5));
        await digest.SendDueAsync();
        await digest.SendDueAsync();

        var second = (await sink.Mail.WaitForAsync(member.Email!, count: 2))[1];
        Assert.Contains("three-days <key>", second.TextBody);
        Assert.Equal([(7, 3), (1, 3), (1, 2)], await NoticesAsync(app, inThreeDays, tomorrow));
        Assert.Empty(await NoticesOfAsync(app, later));
        Assert.Equal(2, sink.Mail.To(member.Email!).Count);
    }

    private static async Task<string> KeyExpiringAsync(KeyDashboardFactory app, string name, ApplicationUser owner, DateTimeOffset at)
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest(name, owner: owner));
        await app.UpdateKeyRowAsync(key.Key.Id, k => k.ExpiresAt = at);
        return key.Key.Id;
    }

    /// <summary>(threshold, recipients) for the key in three days at each threshold, then for tomorrow's key.</summary>
    private static async Task<List<(int, int)>> NoticesAsync(KeyDashboardFactory app, string inThreeDays, string tomorrow)
    {
        var result = new List<(int, int)>();
        foreach (var key in new[] { inThreeDays, tomorrow })
            result.AddRange((await NoticesOfAsync(app, key)).GroupBy(n => n.DaysBefore).OrderByDescending(g => g.Key).Select(g => (g.Key, g.Count())));
        return result;
    }

    private static async Task<List<ExpiryNotice>> NoticesOfAsync(KeyDashboardFactory app, string keyId)
    {
        await using var db = await app.DbFactory.CreateDbContextAsync();
        return await db.ExpiryNotices.Where(n => n.KeyId == keyId).ToListAsync();
    }
}
