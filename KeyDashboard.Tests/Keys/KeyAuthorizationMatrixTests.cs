using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Keys;

/// <summary>Every lifecycle method against every kind of caller: owners and admins manage, members read, anyone else finds nothing.</summary>
public sealed class KeyAuthorizationMatrixTests
{
    public enum Call { Create, Rotate, Revoke, Edit, Get, List }
    public enum Who { Owner, Admin, Member, Outsider, OtherAdmin }

    private const string Refusal = "Only owners and admins can manage API keys.";

    [Theory]
    [InlineData(Call.Create, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.Create, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.Create, Who.Member, OperationStatus.Forbidden)]
    [InlineData(Call.Create, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.Create, Who.OtherAdmin, OperationStatus.NotFound)]
    [InlineData(Call.Rotate, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.Rotate, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.Rotate, Who.Member, OperationStatus.Forbidden)]
    [InlineData(Call.Rotate, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.Rotate, Who.OtherAdmin, OperationStatus.NotFound)]
    [InlineData(Call.Revoke, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.Revoke, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.Revoke, Who.Member, OperationStatus.Forbidden)]
    [InlineData(Call.Revoke, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.Revoke, Who.OtherAdmin, OperationStatus.NotFound)]
    [InlineData(Call.Edit, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.Edit, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.Edit, Who.Member, OperationStatus.Forbidden)]
    [InlineData(Call.Edit, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.Edit, Who.OtherAdmin, OperationStatus.NotFound)]
    [InlineData(Call.Get, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.Get, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.Get, Who.Member, OperationStatus.Ok)]
    [InlineData(Call.Get, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.Get, Who.OtherAdmin, OperationStatus.NotFound)]
    [InlineData(Call.List, Who.Owner, OperationStatus.Ok)]
    [InlineData(Call.List, Who.Admin, OperationStatus.Ok)]
    [InlineData(Call.List, Who.Member, OperationStatus.Ok)]
    [InlineData(Call.List, Who.Outsider, OperationStatus.NotFound)]
    [InlineData(Call.List, Who.OtherAdmin, OperationStatus.NotFound)]
    public async Task Each_caller_gets_what_the_rules_say_and_a_denied_call_changes_nothing(Call call, Who who, OperationStatus expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        // A member's key: whom a key may be minted for is KeyPowerTests' matrix.
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(owner: database.Member));
        var before = await DatabaseSnapshot.TakeAsync(database);

        var (status, message) = await InvokeAsync(database, call, UserFor(database, who), database.Workspace.Id, key.Key.Id);

        Assert.Equal(expected, status);
        if (status == OperationStatus.Forbidden) Assert.Equal(Refusal, message);
        var after = await DatabaseSnapshot.TakeAsync(database);
        if (status == OperationStatus.Ok && call is not (Call.Get or Call.List))
            Assert.Equal(before.AuditCount + 1, after.AuditCount);
        else
            Assert.Equal(before, after);
    }

    [Theory]
    [InlineData(Call.Rotate)]
    [InlineData(Call.Revoke)]
    [InlineData(Call.Edit)]
    [InlineData(Call.Get)]
    public async Task An_admin_of_another_workspace_cannot_reach_a_key_by_its_id_through_their_own_workspace(Call call)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var (status, _) = await InvokeAsync(database, call, database.OtherAdmin, database.OtherWorkspace.Id, key.Key.Id);

        Assert.Equal(OperationStatus.NotFound, status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task An_admin_of_another_workspace_does_not_see_the_key_in_their_own_list()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.CreateKeyAsync();

        var page = await database.KeyService().ListAsync(database.ActorFor(database.OtherAdmin), database.OtherWorkspace.Id,
            new KeyQuery { IncludeRevoked = true });

        Assert.True(page.Succeeded);
        Assert.Empty(page.Value!.Items);
        Assert.Equal(0, page.Value.TotalCount);
    }

    [Fact]
    public async Task Roles_are_read_from_the_database_on_every_call()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var keys = database.KeyService();
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            await db.Memberships.Where(m => m.UserId == database.Member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, Roles.Admin));
            await db.Memberships.Where(m => m.UserId == database.Admin.Id).ExecuteDeleteAsync();
        }

        var promoted = await keys.EditAsync(database.ActorFor(database.Member), database.Workspace.Id, key.Key.Id, new EditKeyRequest("renamed", ""));
        var removed = await keys.GetAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id);

        Assert.Equal(OperationStatus.Ok, promoted.Status);
        Assert.Equal(OperationStatus.NotFound, removed.Status);
    }

    private static ApplicationUser UserFor(TestDatabase database, Who who) => who switch
    {
        Who.Owner => database.Owner,
        Who.Admin => database.Admin,
        Who.Member => database.Member,
        Who.Outsider => database.Outsider,
        _ => database.OtherAdmin,
    };

    private static async Task<(OperationStatus Status, string? Message)> InvokeAsync(TestDatabase database, Call call,
        ApplicationUser user, Guid workspaceId, string keyId)
    {
        var keys = database.KeyService();
        var actor = database.ActorFor(user);
        return call switch
        {
            Call.Create => Outcome(await keys.CreateAsync(actor, workspaceId, WorldKeys.KeyRequest("another"))),
            Call.Rotate => Outcome(await keys.RotateAsync(actor, workspaceId, keyId, RotationGrace.OneHour)),
            Call.Revoke => Outcome(await keys.RevokeAsync(actor, workspaceId, keyId, "no longer needed")),
            Call.Edit => Outcome(await keys.EditAsync(actor, workspaceId, keyId, new EditKeyRequest("renamed", "changed"))),
            Call.Get => Outcome(await keys.GetAsync(actor, workspaceId, keyId)),
            _ => Outcome(await keys.ListAsync(actor, workspaceId, new KeyQuery())),
        };
    }

    private static (OperationStatus, string?) Outcome<T>(OperationResult<T> result) => (result.Status, result.Message);
}
