using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Members;

/// <summary>Nobody reaches another workspace's members or invitations by changing an id.</summary>
public sealed class MembershipScopeTests
{
    [Fact]
    public async Task An_owner_cannot_touch_a_member_of_another_workspace_through_their_own()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        var owner = database.ActorFor(database.Owner);
        var before = await database.MembershipSnapshotAsync();

        var removed = await service.RemoveAsync(owner, database.Workspace.Id, database.OtherAdmin.Id);
        var changed = await service.ChangeRoleAsync(owner, database.Workspace.Id, database.OtherAdmin.Id, Roles.Member);

        Assert.Equal(OperationStatus.NotFound, removed.Status);
        Assert.Equal(OperationStatus.NotFound, changed.Status);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Another_workspaces_id_finds_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        var owner = database.ActorFor(database.Owner);
        var theirs = database.OtherWorkspace.Id;
        var invitation = (await service.InviteAsync(database.ActorFor(database.OtherAdmin), theirs, new("someone@other.test", Roles.Member))).Value!.Invitation;
        var before = await database.MembershipSnapshotAsync();

        Assert.Equal(OperationStatus.NotFound, (await service.ListAsync(owner, theirs)).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.InviteAsync(owner, theirs, new("x@acme.test", Roles.Member))).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.ChangeRoleAsync(owner, theirs, database.OtherAdmin.Id, Roles.Member)).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.RemoveAsync(owner, theirs, database.OtherAdmin.Id)).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.CancelInvitationAsync(owner, theirs, invitation.Id)).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.CancelInvitationAsync(owner, database.Workspace.Id, invitation.Id)).Status);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Every_member_sees_the_list_and_an_outsider_sees_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        await service.InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new("pending@acme.test", Roles.Member));

        var list = await service.ListAsync(database.ActorFor(database.Member), database.Workspace.Id);
        var outsider = await service.ListAsync(database.ActorFor(database.Outsider), database.Workspace.Id);

        Assert.True(list.Succeeded);
        Assert.Equal(["admin@acme.test", "member@acme.test", "owner@acme.test"], list.Value!.Members.Select(m => m.Email));
        Assert.Equal("pending@acme.test", Assert.Single(list.Value.Invitations).Email);
        Assert.Equal(OperationStatus.NotFound, outsider.Status);
    }

    [Theory]
    [InlineData("", Roles.Member, "email")]
    [InlineData("not-an-address", Roles.Member, "email")]
    [InlineData("Someone <someone@acme.test>", Roles.Member, "email")]
    [InlineData("someone@acme.test", "superuser", "role")]
    [InlineData("someone@acme.test", null, "role")]
    public async Task Bad_input_gets_a_clear_message_and_changes_nothing(string email, string? role, string field)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.MembershipService().InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new(email, role));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field));
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Inviting_a_member_again_is_a_conflict()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await database.MembershipService().InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new("MEMBER@acme.test", Roles.Admin));

        Assert.Equal(OperationStatus.Conflict, result.Status);
        Assert.Equal(Roles.Member, await database.RoleOfAsync(database.Member));
    }
}
