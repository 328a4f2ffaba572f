using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyRotationTests
{
    [Fact]
    public async Task Rotation_keeps_the_key_and_replaces_its_secret()
    {
        await using var database = await TestDatabase.CreateAsync();
        var original = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { Scopes = ["keys:read", "members:write"] });
        database.Clock.Advance(TimeSpan.FromDays(2));

        var rotated = await RotateAsync(database, original.Key.Id, RotationGrace.OneHour);

        Assert.Equal(OperationStatus.Ok, rotated.Status);
        var key = rotated.Value!.Key;
        Assert.Equal(original.Key.Id, key.Id);
        Assert.Equal(original.Key.Name, key.Name);
        Assert.Equal(original.Key.Scopes, key.Scopes);
        Assert.Equal(original.Key.ExpiresAt, key.ExpiresAt);
        Assert.Equal(original.Key.CreatedAt, key.CreatedAt);
        Assert.Equal(database.Clock.GetUtcNow(), key.RotatedAt);
        Assert.NotEqual(original.Secret, rotated.Value.Secret);
        Assert.True(database.Format.IsWellFormed(rotated.Value.Secret));
        Assert.NotEqual(original.Key.DisplayPrefix, key.DisplayPrefix);
        Assert.Equal(rotated.Value.Secret[..12], key.DisplayPrefix);
        Assert.Equal(database.Hasher.Hash(rotated.Value.Secret), (await database.KeyRowAsync(key.Id)).SecretHash);
    }

    [Theory]
    [InlineData(RotationGrace.OneHour, 1)]
    [InlineData(RotationGrace.OneDay, 24)]
    [InlineData(RotationGrace.SevenDays, 7 * 24)]
    public async Task The_old_secret_works_until_the_grace_period_ends_and_not_a_tick_longer(RotationGrace grace, int hours)
    {
        await using var database = await TestDatabase.CreateAsync();
        var original = await database.CreateKeyAsync();
        database.Clock.Advance(TimeSpan.FromDays(3));
        var rotated = (await RotateAsync(database, original.Key.Id, grace)).Value!;
        var deadline = database.Clock.GetUtcNow().AddHours(hours);
        Assert.Equal(deadline, rotated.Key.PreviousSecretValidUntil);

        database.Clock.Advance(deadline - database.Clock.GetUtcNow() - TimeSpan.FromTicks(1));
        var old = await database.LookupAsync(original.Secret);
        Assert.NotNull(old);
        Assert.True(old.ViaPreviousSecret);
        Assert.True(await database.IsUsableNowAsync(old));
        Assert.True(await database.IsUsableNowAsync(rotated.Secret));

        database.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(await database.IsUsableNowAsync(original.Secret));
        Assert.True(await database.IsUsableNowAsync(rotated.Secret));
        var summary = await database.KeyService().GetAsync(database.ActorFor(database.Owner), database.Workspace.Id, original.Key.Id);
        Assert.Null(summary.Value!.PreviousSecretValidUntil);
    }

    [Fact]
    public async Task Without_grace_the_old_secret_stops_at_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var original = await database.CreateKeyAsync();

        var rotated = (await RotateAsync(database, original.Key.Id, RotationGrace.None)).Value!;

        Assert.False(await database.IsUsableNowAsync(original.Secret));
        Assert.True(await database.IsUsableNowAsync(rotated.Secret));
        Assert.Null(rotated.Key.PreviousSecretValidUntil);
    }

    [Fact]
    public async Task A_second_rotation_during_the_grace_period_ends_the_first_old_secret()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await database.CreateKeyAsync();
        var second = (await RotateAsync(database, first.Key.Id, RotationGrace.OneDay)).Value!;
        database.Clock.Advance(TimeSpan.FromHours(1));

        var third = (await RotateAsync(database, first.Key.Id, RotationGrace.OneDay)).Value!;

        Assert.False(await database.IsUsableNowAsync(first.Secret));
        Assert.True(await database.IsUsableNowAsync(second.Secret));
        Assert.True(await database.IsUsableNowAsync(third.Secret));
        Assert.Equal(database.Clock.GetUtcNow().AddDays(1), third.Key.PreviousSecretValidUntil);
    }

    [Fact]
    public async Task A_rotation_without_grace_during_a_grace_period_ends_every_old_secret()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await database.CreateKeyAsync();
        var second = (await RotateAsync(database, first.Key.Id, RotationGrace.SevenDays)).Value!;

        var third = (await RotateAsync(database, first.Key.Id, RotationGrace.None)).Value!;

        Assert.False(await database.IsUsableNowAsync(first.Secret));
        Assert.False(await database.IsUsableNowAsync(second.Secret));
        Assert.True(await database.IsUsableNowAsync(third.Secret));
    }

    [Fact]
    public async Task A_revoked_key_cannot_be_rotated()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        await database.KeyService().RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "leaked");
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await RotateAsync(database, key.Key.Id, RotationGrace.OneDay);

        Assert.Equal(OperationStatus.Conflict, result.Status);
        Assert.Null(result.Value);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task An_expired_key_cannot_be_rotated()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { ExpiresAt = database.Clock.GetUtcNow().AddDays(1) });
        database.Clock.Advance(TimeSpan.FromDays(1));
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await RotateAsync(database, key.Key.Id, RotationGrace.OneDay);

        Assert.Equal(OperationStatus.Conflict, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task An_undefined_grace_period_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await RotateAsync(database, key.Key.Id, (RotationGrace)42);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
    }

    private static Task<OperationResult<IssuedKey>> RotateAsync(TestDatabase database, string keyId, RotationGrace grace) =>
        database.KeyService().RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, keyId, grace);
}
