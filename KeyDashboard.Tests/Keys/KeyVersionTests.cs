using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// Concurrent changes to one key have one winner: callers that say which version of the key they saw (the dashboard
/// always, the API with If-Match) cannot both change it, however their calls interleave.
/// </summary>
public sealed class KeyVersionTests
{
    private const int Callers = 10;
    private static readonly RotationGrace[] Graces = [RotationGrace.OneHour, RotationGrace.OneDay, RotationGrace.SevenDays];

    [Fact]
    public async Task Of_ten_parallel_rotations_of_what_they_saw_one_wins_and_the_old_secret_keeps_the_winners_grace()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Admin));
        var keys = database.KeyService();

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() =>
            keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, Graces[i % Graces.Length], key.Key.Version))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal((OperationStatus.Conflict, ApiKeyService.KeyChanged), (r.Status, r.Message)));
        var winnersGrace = Graces[Array.IndexOf(results, winner) % Graces.Length];
        Assert.Equal(database.Clock.GetUtcNow() + winnersGrace.Duration(), winner.Value!.Key.PreviousSecretValidUntil);
        Assert.True(await database.IsUsableNowAsync(winner.Value.Secret));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRotated));
    }

    [Fact]
    public async Task A_rotation_of_a_version_another_rotation_replaced_is_refused_and_leaves_that_rotation_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Admin));
        var keys = database.KeyService();
        var first = await keys.RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays, key.Key.Version);
        var afterFirst = await database.KeyRowAsync(key.Key.Id);

        var late = await keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.None, key.Key.Version);

        Assert.Equal(OperationStatus.Ok, first.Status);
        Assert.Equal((OperationStatus.Conflict, ApiKeyService.KeyChanged), (late.Status, late.Message));
        Assert.Equivalent(afterFirst, await database.KeyRowAsync(key.Key.Id));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
        Assert.True(await database.IsUsableNowAsync(first.Value!.Secret));
    }

    [Fact]
    public async Task The_version_changes_with_every_rotation_edit_and_revocation()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var (keys, owner) = (database.KeyService(), database.ActorFor(database.Owner));

        var rotated = (await keys.RotateAsync(owner, database.Workspace.Id, key.Key.Id, RotationGrace.OneHour, key.Key.Version)).Value!.Key;
        var edited = (await keys.EditAsync(owner, database.Workspace.Id, key.Key.Id, new EditKeyRequest("renamed", ""), rotated.Version)).Value!;
        var revoked = (await keys.RevokeAsync(owner, database.Workspace.Id, key.Key.Id, "done")).Value!.Key;

        Assert.Equal(4, new[] { key.Key.Version, rotated.Version, edited.Version, revoked.Version }.Distinct().Count());
        Assert.Equal(revoked.Version, (await keys.GetAsync(owner, database.Workspace.Id, key.Key.Id)).Value!.Version);
    }

    [Fact]
    public async Task Of_ten_parallel_edits_of_what_they_saw_one_wins()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var keys = database.KeyService();

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() =>
            keys.EditAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, new EditKeyRequest($"name-{i}", ""), key.Key.Version))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal((OperationStatus.Conflict, ApiKeyService.KeyChanged), (r.Status, r.Message)));
        Assert.Equal(winner.Value!.Name, (await database.KeyRowAsync(key.Key.Id)).Name);
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyEdited));
    }

    [Fact]
    public async Task An_edit_of_a_version_a_rotation_replaced_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var keys = database.KeyService();
        await keys.RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, RotationGrace.OneHour);

        var edited = await keys.EditAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, new EditKeyRequest("renamed", ""), key.Key.Version);

        Assert.Equal((OperationStatus.Conflict, ApiKeyService.KeyChanged), (edited.Status, edited.Message));
        Assert.Equal(key.Key.Name, (await database.KeyRowAsync(key.Key.Id)).Name);
    }
}
