using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// Races on one key. <see cref="Race"/> holds every runner after its reads until all have read, so each write
/// really does start from the same row and only the concurrency token can tell the writers apart.
/// </summary>
public sealed class KeyConcurrencyTests
{
    private const int Rounds = 20;

    [Fact]
    public async Task Of_two_concurrent_rotations_exactly_one_takes_effect()
    {
        await using var database = await TestDatabase.CreateAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
            var race = new Race(database);
            var (ownerRunner, adminRunner) = (race.Runner(), race.Runner());

            var results = await Task.WhenAll(
                Task.Run(() => ownerRunner.Keys.RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, RotationGrace.OneDay)),
                Task.Run(() => adminRunner.Keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.OneDay)));

            var winner = Assert.Single(results, r => r.Status == OperationStatus.Ok);
            Assert.Single(results, r => r.Status == OperationStatus.Conflict);
            var row = await database.KeyRowAsync(key.Key.Id);
            Assert.Equal(database.Hasher.Hash(winner.Value!.Secret), row.SecretHash);
            Assert.Equal(database.Hasher.Hash(key.Secret), row.PreviousSecretHash);
            var rotated = Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRotated), a => a.TargetId == key.Key.Id);
            Assert.Equal(results[0] == winner ? database.Owner.Id : database.Admin.Id, rotated.ActorId);
        }
    }

    [Fact]
    public async Task Of_two_concurrent_revocations_exactly_one_takes_effect_and_the_other_is_a_no_op()
    {
        await using var database = await TestDatabase.CreateAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
            var race = new Race(database);
            var (ownerRunner, adminRunner) = (race.Runner(), race.Runner());

            var results = await Task.WhenAll(
                Task.Run(() => ownerRunner.Keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "by owner")),
                Task.Run(() => adminRunner.Keys.RevokeAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, "by admin")));

            Assert.All(results, r => Assert.Equal(OperationStatus.Ok, r.Status));
            var winner = Assert.Single(results, r => !r.Value!.AlreadyRevoked);
            var row = await database.KeyRowAsync(key.Key.Id);
            Assert.Equal(results[0] == winner ? database.Owner.Id : database.Admin.Id, row.RevokedByUserId);
            Assert.Equal(winner.Value!.Key.RevokedReason, row.RevokedReason);
            Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRevoked), a => a.TargetId == key.Key.Id);
        }
    }

    [Fact]
    public async Task A_rotation_racing_a_revocation_never_leaves_a_usable_secret()
    {
        await using var database = await TestDatabase.CreateAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
            var race = new Race(database);
            var (rotator, revoker) = (race.Runner(), race.Runner());

            var rotating = Task.Run(() => rotator.Keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays));
            var revoking = Task.Run(() => revoker.Keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "compromised"));
            await Task.WhenAll(rotating, revoking);

            await AssertRevokedForGoodAsync(database, key, await rotating, await revoking);
        }
    }

    [Fact]
    public async Task A_revocation_that_loses_the_race_to_a_rotation_still_revokes_the_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        var race = new Race(database);
        var rotator = race.Runner();
        var revoker = race.Runner(after: rotator);

        var revoking = Task.Run(() => revoker.Keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "compromised"));
        var rotated = await Task.Run(() => rotator.Keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays));
        var revoked = await revoking;

        Assert.Equal(OperationStatus.Ok, rotated.Status);
        await AssertRevokedForGoodAsync(database, key, rotated, revoked);
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRotated));
    }

    [Fact]
    public async Task A_rotation_that_loses_the_race_to_a_revocation_is_a_conflict()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        var race = new Race(database);
        var revoker = race.Runner();
        var rotator = race.Runner(after: revoker);

        var rotating = Task.Run(() => rotator.Keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays));
        var revoked = await Task.Run(() => revoker.Keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "compromised"));
        var rotated = await rotating;

        Assert.Equal(OperationStatus.Conflict, rotated.Status);
        Assert.Null(rotated.Value);
        await AssertRevokedForGoodAsync(database, key, rotated, revoked);
        Assert.Empty(await database.AuditEntriesAsync(AuditActions.KeyRotated));
    }

    private static async Task AssertRevokedForGoodAsync(TestDatabase database, IssuedKey key,
        OperationResult<IssuedKey> rotated, OperationResult<RevokeOutcome> revoked)
    {
        Assert.Equal(OperationStatus.Ok, revoked.Status);
        Assert.False(revoked.Value!.AlreadyRevoked);
        Assert.Equal(KeyStatus.Revoked, (await database.KeyRowAsync(key.Key.Id)).StatusAt(database.Clock.GetUtcNow()));
        Assert.False(await database.IsUsableNowAsync(key.Secret));
        if (rotated.Succeeded) Assert.False(await database.IsUsableNowAsync(rotated.Value!.Secret));
        else Assert.Equal(OperationStatus.Conflict, rotated.Status);
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRevoked), a => a.TargetId == key.Key.Id);
    }
}
