using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Audit;

public sealed class AuditTrailTests
{
    public enum Change { Create, Rotate, Revoke, Edit }

    private const string ClientAddress = "203.0.113.9";

    [Theory]
    [InlineData(Change.Create, AuditActions.KeyCreated)]
    [InlineData(Change.Rotate, AuditActions.KeyRotated)]
    [InlineData(Change.Revoke, AuditActions.KeyRevoked)]
    [InlineData(Change.Edit, AuditActions.KeyEdited)]
    public async Task Each_change_writes_exactly_one_entry_saying_who_did_what_to_which_key_and_from_where(Change change, string action)
    {
        await using var database = await TestDatabase.CreateAsync();
        var existing = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        database.Clock.Advance(TimeSpan.FromMinutes(5));
        var before = await database.AuditEntriesAsync();

        var keyId = await MakeAsync(database, change, existing.Key.Id);

        var entry = Assert.Single((await database.AuditEntriesAsync()).Skip(before.Count));
        Assert.Equal(action, entry.Action);
        Assert.Equal(AuditActorType.User, entry.ActorType);
        Assert.Equal(database.Admin.Id, entry.ActorId);
        Assert.Equal("admin@acme.test", entry.ActorName);
        Assert.Equal("key", entry.TargetType);
        Assert.Equal(keyId, entry.TargetId);
        Assert.Equal(ClientAddress, entry.ClientAddress);
        Assert.Equal(database.Workspace.Id, entry.WorkspaceId);
        Assert.Equal(database.Clock.GetUtcNow(), entry.At);
    }

    [Fact]
    public async Task Reads_write_no_entry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        await database.KeyService().GetAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id);
        await database.KeyService().ListAsync(database.ActorFor(database.Admin), database.Workspace.Id, new KeyQuery());

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task A_rotation_whose_key_update_fails_on_the_concurrency_token_writes_no_entry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        var race = new Race(database);
        var winner = race.Runner();
        var loser = race.Runner(after: winner);

        var losing = Task.Run(() => loser.Keys.RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, RotationGrace.OneDay));
        var won = await Task.Run(() => winner.Keys.RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, RotationGrace.OneDay));
        var lost = await losing;

        Assert.Equal(OperationStatus.Ok, won.Status);
        Assert.Equal(OperationStatus.Conflict, lost.Status);
        var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRotated));
        Assert.Equal(database.Admin.Id, entry.ActorId);
    }

    [Theory]
    [InlineData(Change.Create)]
    [InlineData(Change.Rotate)]
    [InlineData(Change.Revoke)]
    [InlineData(Change.Edit)]
    public async Task A_change_whose_audit_entry_cannot_be_written_does_not_happen(Change change)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        await using (var db = await database.DbFactory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync(TestProvider.IsPostgreSql
                ? """
                  CREATE FUNCTION audit_unavailable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$;
                  CREATE TRIGGER "AuditEntries_Unavailable" BEFORE INSERT ON "AuditEntries" FOR EACH ROW EXECUTE FUNCTION audit_unavailable();
                  """
                : "CREATE TRIGGER AuditEntries_Unavailable BEFORE INSERT ON AuditEntries BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;");
        var before = await DatabaseSnapshot.TakeAsync(database);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => MakeAsync(database, change, key.Key.Id));

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task No_entry_contains_a_secret_or_a_hash()
    {
        await using var database = await TestDatabase.CreateAsync();
        var keys = database.KeyService();
        var actor = database.ActorFor(database.Admin);
        var created = await database.CreateKeyAsync(WorldKeys.KeyRequest() with { Environment = KeyEnvironment.Live }, by: database.Admin);
        var rotated = (await keys.RotateAsync(actor, database.Workspace.Id, created.Key.Id, RotationGrace.SevenDays)).Value!;
        var rowInGrace = await database.KeyRowAsync(created.Key.Id);
        await keys.EditAsync(actor, database.Workspace.Id, created.Key.Id, new EditKeyRequest("renamed", "described"));
        await keys.RevokeAsync(actor, database.Workspace.Id, created.Key.Id, "done");

        var forbidden = new List<string> { created.Secret, created.Secret[12..], rotated.Secret, rotated.Secret[12..] };
        foreach (var hash in new[] { rowInGrace.SecretHash, rowInGrace.PreviousSecretHash! })
            forbidden.AddRange([Convert.ToBase64String(hash), Convert.ToHexString(hash), Convert.ToHexStringLower(hash)]);

        var entries = await database.AuditEntriesAsync();
        Assert.Equal(4, entries.Count);
        var texts = entries.SelectMany(e => new[] { e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId, e.TargetName, e.Details, e.ClientAddress });
        foreach (var text in texts.OfType<string>())
            foreach (var secret in forbidden)
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> MakeAsync(TestDatabase database, Change change, string keyId)
    {
        var keys = database.KeyService();
        var actor = database.ActorFor(database.Admin, ClientAddress);
        var workspaceId = database.Workspace.Id;
        OperationStatus status;
        switch (change)
        {
            case Change.Create:
                var created = await keys.CreateAsync(actor, workspaceId, WorldKeys.KeyRequest("another"));
                (status, keyId) = (created.Status, created.Value?.Key.Id ?? "");
                break;
            case Change.Rotate:
                status = (await keys.RotateAsync(actor, workspaceId, keyId, RotationGrace.OneHour)).Status;
                break;
            case Change.Revoke:
                status = (await keys.RevokeAsync(actor, workspaceId, keyId, "rotated out")).Status;
                break;
            default:
                status = (await keys.EditAsync(actor, workspaceId, keyId, new EditKeyRequest("renamed", "now described"))).Status;
                break;
        }
        Assert.Equal(OperationStatus.Ok, status);
        return keyId;
    }
}
