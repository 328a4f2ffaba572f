using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// A key is stale when it still works but was not used for 90 days, or never used in the 30 days after its creation.
/// The rule is one expression, translated to SQL for a key's summary and for the list's Stale filter, which must
/// agree at the boundaries; compiled, it shows the rule itself to the tick.
/// </summary>
public sealed class KeyStalenessTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task A_used_key_turns_stale_exactly_90_days_after_its_last_use()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var lastUse = database.Clock.GetUtcNow().AddDays(1);
        await database.UpdateKeyRowAsync(key.Key.Id, k => k.LastUsedAt = lastUse);

        await AssertStaleAtAsync(database, key, lastUse.AddDays(90) - Tick, stale: false);
        await AssertStaleAtAsync(database, key, lastUse.AddDays(90), stale: true);
    }

    [Fact]
    public async Task A_never_used_key_turns_stale_exactly_30_days_after_its_creation()
    {
        await using var database = await TestDatabase.CreateAsync();
        var created = database.Clock.GetUtcNow();
        var key = await database.CreateKeyAsync();

        await AssertStaleAtAsync(database, key, created.AddDays(30) - Tick, stale: false);
        await AssertStaleAtAsync(database, key, created.AddDays(30), stale: true);
    }

    [Fact]
    public async Task A_use_makes_a_never_used_key_fresh_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        await AssertStaleAtAsync(database, key, database.Clock.GetUtcNow().AddDays(45), stale: true);

        await database.UpdateKeyRowAsync(key.Key.Id, k => k.LastUsedAt = database.Clock.GetUtcNow().AddDays(-1));

        await AssertStaleAtAsync(database, key, database.Clock.GetUtcNow(), stale: false);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_are_never_stale()
    {
        await using var database = await TestDatabase.CreateAsync();
        var now = database.Clock.GetUtcNow();
        var revoked = await database.CreateKeyAsync();
        await database.KeyService().RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, revoked.Key.Id, null);
        var expired = await database.CreateKeyAsync(WorldKeys.KeyRequest("short-lived") with { ExpiresAt = now.AddDays(40) });

        await AssertStaleAtAsync(database, revoked, now.AddDays(31), stale: false);
        await AssertStaleAtAsync(database, expired, now.AddDays(40) - Tick, stale: true);
        await AssertStaleAtAsync(database, expired, now.AddDays(40), stale: false);
    }

    [Fact]
    public void The_rule_compiled_at_its_boundaries()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var longAgo = now.AddYears(-1);
        Assert.True(IsStale(null, null, longAgo, now.AddDays(-90), now));
        Assert.False(IsStale(null, null, longAgo, now.AddDays(-90) + Tick, now));
        Assert.True(IsStale(null, null, now.AddDays(-30), null, now));
        Assert.False(IsStale(null, null, now.AddDays(-30) + Tick, null, now));
        Assert.False(IsStale(now.AddDays(-1), null, longAgo, null, now));
        Assert.False(IsStale(null, now, longAgo, null, now));
        Assert.True(IsStale(null, now + Tick, longAgo, null, now));
    }

    [Fact]
    public async Task The_stale_filter_adds_stale_keys_to_the_chosen_statuses()
    {
        await using var database = await TestDatabase.CreateAsync();
        var now = database.Clock.GetUtcNow();
        var old = await database.CreateKeyAsync(WorldKeys.KeyRequest("forgotten"));
        var expiringSoon = await database.CreateKeyAsync(WorldKeys.KeyRequest("expiring-soon") with { ExpiresAt = now.AddDays(40) });
        database.Clock.Advance(TimeSpan.FromDays(31));
        var fresh = await database.CreateKeyAsync(WorldKeys.KeyRequest("fresh"));
        await database.UpdateKeyRowAsync(expiringSoon.Key.Id, k => k.LastUsedAt = database.Clock.GetUtcNow());
        var keys = database.KeyService();
        var actor = database.ActorFor(database.Member);

        var staleOnly = await keys.ListAsync(actor, database.Workspace.Id, new KeyQuery { Stale = true });
        var staleOrExpiringSoon = await keys.ListAsync(actor, database.Workspace.Id, new KeyQuery { Stale = true, Statuses = [KeyStatus.ExpiringSoon] });

        Assert.Equal([old.Key.Id], staleOnly.Value!.Items.Select(k => k.Id));
        Assert.Equal(new[] { expiringSoon.Key.Id, old.Key.Id }.Order(), staleOrExpiringSoon.Value!.Items.Select(k => k.Id).Order());
        Assert.DoesNotContain(fresh.Key.Id, staleOrExpiringSoon.Value.Items.Select(k => k.Id));
    }

    // The stored dates keep a tenth of a millisecond: a tick past a boundary shows only in memory.
    private static bool IsStale(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset createdAt, DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        KeyStatuses.StaleAt(now).Compile()(new ApiKey
        {
            Id = "key_test", Name = "test", OwnerUserId = "owner", DisplayPrefix = "kd_test_", SecretHash = [], CreatedByUserId = "owner",
            RevokedAt = revokedAt, ExpiresAt = expiresAt, CreatedAt = createdAt, LastUsedAt = lastUsedAt,
        });

    private static async Task AssertStaleAtAsync(TestDatabase database, IssuedKey key, DateTimeOffset at, bool stale)
    {
        database.Clock.SetUtcNow(at);
        var keys = database.KeyService();
        var actor = database.ActorFor(database.Member);

        var summary = await keys.GetAsync(actor, database.Workspace.Id, key.Key.Id);
        Assert.Equal(stale, summary.Value!.IsStale);
        var listed = await keys.ListAsync(actor, database.Workspace.Id, new KeyQuery { Stale = true });
        Assert.Equal(stale, listed.Value!.Items.Any(k => k.Id == key.Key.Id));
    }
}
