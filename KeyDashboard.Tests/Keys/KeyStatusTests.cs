using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// The status rule is written once and runs three ways: in SQL for a key's summary, in SQL for the list's filters,
/// and compiled, in C#, for a key in memory. All three must agree at the exact boundaries.
/// </summary>
public sealed class KeyStatusTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_key_turns_expiring_soon_exactly_fourteen_days_before_expiry_and_expired_at_expiry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var expiry = database.Clock.GetUtcNow().AddDays(30);
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { ExpiresAt = expiry });

        await AssertStatusAtAsync(database, key, expiry.AddDays(-14) - Tick, KeyStatus.Active);
        await AssertStatusAtAsync(database, key, expiry.AddDays(-14), KeyStatus.ExpiringSoon);
        await AssertStatusAtAsync(database, key, expiry - Tick, KeyStatus.ExpiringSoon);
        Assert.True(await database.IsUsableNowAsync(key.Secret));
        await AssertStatusAtAsync(database, key, expiry, KeyStatus.Expired);
        Assert.False(await database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task Revoked_wins_over_expiring_soon_and_expired()
    {
        await using var database = await TestDatabase.CreateAsync();
        var expiry = database.Clock.GetUtcNow().AddDays(5);
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { ExpiresAt = expiry });
        await database.KeyService().RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, null);

        await AssertStatusAtAsync(database, key, database.Clock.GetUtcNow(), KeyStatus.Revoked);
        await AssertStatusAtAsync(database, key, expiry, KeyStatus.Revoked);
        await AssertStatusAtAsync(database, key, expiry.AddDays(30), KeyStatus.Revoked);
    }

    [Fact]
    public async Task A_never_expiring_key_stays_active()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => w.AllowNeverExpiringKeys = true);
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { NeverExpires = true });

        await AssertStatusAtAsync(database, key, database.Clock.GetUtcNow().AddYears(50), KeyStatus.Active);
    }

    [Fact]
    public async Task An_expiry_given_in_another_utc_offset_is_the_same_instant()
    {
        await using var database = await TestDatabase.CreateAsync();
        var expiry = database.Clock.GetUtcNow().AddDays(30).ToOffset(TimeSpan.FromHours(2));
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { ExpiresAt = expiry });

        await AssertStatusAtAsync(database, key, expiry.AddDays(-14) - Tick, KeyStatus.Active);
        await AssertStatusAtAsync(database, key, expiry.AddDays(-14), KeyStatus.ExpiringSoon);
        await AssertStatusAtAsync(database, key, expiry, KeyStatus.Expired);
    }

    private static async Task AssertStatusAtAsync(TestDatabase database, IssuedKey key, DateTimeOffset at, KeyStatus expected)
    {
        // A real clock's GetUtcNow is always UTC; FakeTimeProvider would hand back whatever offset it was given.
        database.Clock.SetUtcNow(at.ToUniversalTime());
        var keys = database.KeyService();
        var actor = database.ActorFor(database.Member);

        var summary = await keys.GetAsync(actor, database.Workspace.Id, key.Key.Id);
        Assert.Equal(expected, summary.Value!.Status);
        var listed = await keys.ListAsync(actor, database.Workspace.Id, new KeyQuery { Statuses = [expected] });
        Assert.Contains(listed.Value!.Items, k => k.Id == key.Key.Id);
        var others = Enum.GetValues<KeyStatus>().Where(s => s != expected).ToList();
        var notListed = await keys.ListAsync(actor, database.Workspace.Id, new KeyQuery { Statuses = others });
        Assert.DoesNotContain(notListed.Value!.Items, k => k.Id == key.Key.Id);
        var match = await database.LookupAsync(key.Secret);
        Assert.Equal(expected, match!.Key.StatusAt(at));
    }
}
