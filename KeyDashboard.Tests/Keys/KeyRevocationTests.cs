using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyRevocationTests
{
    [Fact]
    public async Task Revocation_is_immediate()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        Assert.True(await database.IsUsableNowAsync(key.Secret));

        var result = await RevokeAsync(database, key.Key.Id, "leaked in a CI log");

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.False(result.Value!.AlreadyRevoked);
        Assert.Equal(KeyStatus.Revoked, result.Value.Key.Status);
        Assert.Equal(database.Clock.GetUtcNow(), result.Value.Key.RevokedAt);
        Assert.False(await database.IsUsableNowAsync(key.Secret));
        Assert.Equal(database.Admin.Id, (await database.KeyRowAsync(key.Key.Id)).RevokedByUserId);
    }

    [Fact]
    public async Task Revoking_and_rotating_announce_the_change_after_it_committed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var rotated = await database.CreateKeyAsync();
        var revoked = await database.CreateKeyAsync();
        var announced = new List<(Guid Workspace, bool Committed)>();
        database.Changes.Changed += workspaceId =>
        {
            // The event is synchronous: read synchronously rather than block on an async read.
            using var db = database.DbFactory.CreateDbContext();
            announced.Add((workspaceId, db.ApiKeys.Single(k => k.Id == revoked.Key.Id).RevokedAt is not null));
        };

        await database.KeyService().RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, rotated.Key.Id, RotationGrace.None);
        await RevokeAsync(database, revoked.Key.Id, "leaked");
        await RevokeAsync(database, revoked.Key.Id, "again");

        Assert.Equal([(database.Workspace.Id, false), (database.Workspace.Id, true)], announced);
    }

    [Fact]
    public async Task Revocation_also_ends_a_rotation_grace_period()
    {
        await using var database = await TestDatabase.CreateAsync();
        var original = await database.CreateKeyAsync();
        var rotated = await database.KeyService().RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, original.Key.Id, RotationGrace.SevenDays);
        Assert.True(await database.IsUsableNowAsync(original.Secret));

        await RevokeAsync(database, original.Key.Id, "compromised");

        Assert.False(await database.IsUsableNowAsync(original.Secret));
        Assert.False(await database.IsUsableNowAsync(rotated.Value!.Secret));
        Assert.Null((await database.KeyRowAsync(original.Key.Id)).PreviousSecretHash);
    }

    [Fact]
    public async Task The_reason_is_recorded_trimmed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var result = await RevokeAsync(database, key.Key.Id, "  leaked in a CI log \n");

        Assert.Equal("leaked in a CI log", result.Value!.Key.RevokedReason);
        Assert.Equal("leaked in a CI log", (await database.KeyRowAsync(key.Key.Id)).RevokedReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_key_can_be_revoked_without_a_reason(string? reason)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var result = await RevokeAsync(database, key.Key.Id, reason);

        Assert.Equal(KeyStatus.Revoked, result.Value!.Key.Status);
        Assert.Null(result.Value.Key.RevokedReason);
    }

    [Fact]
    public async Task A_reason_of_five_hundred_characters_is_accepted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var result = await RevokeAsync(database, key.Key.Id, new string('r', 500));
        Assert.Equal(500, result.Value!.Key.RevokedReason!.Length);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(2000)]
    public async Task A_longer_reason_is_refused_and_the_key_stays_usable(int length)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await RevokeAsync(database, key.Key.Id, new string('r', length));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task A_second_revocation_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var first = await RevokeAsync(database, key.Key.Id, "first");
        database.Clock.Advance(TimeSpan.FromHours(3));
        var before = await DatabaseSnapshot.TakeAsync(database);

        var second = await RevokeAsync(database, key.Key.Id, "second");

        Assert.Equal(OperationStatus.Ok, second.Status);
        Assert.True(second.Value!.AlreadyRevoked);
        Assert.Equal(first.Value!.Key.RevokedAt, second.Value.Key.RevokedAt);
        Assert.Equal("first", second.Value.Key.RevokedReason);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRevoked));
    }

    private static Task<OperationResult<RevokeOutcome>> RevokeAsync(TestDatabase database, string keyId, string? reason) =>
        database.KeyService().RevokeAsync(database.ActorFor(database.Admin), database.Workspace.Id, keyId, reason);
}
