using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Members;

/// <summary>A workspace always keeps an owner: its last owner can neither leave, be removed nor be demoted.</summary>
public sealed class LastOwnerTests
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Member)]
    public async Task The_last_owner_cannot_be_demoted(string newRole)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.MembershipService().ChangeRoleAsync(database.ActorFor(database.Owner), database.Workspace.Id, database.Owner.Id, newRole);

        Assert.Equal(OperationStatus.Conflict, result.Status);
        Assert.Equal(Permissions.LastOwnerRefusal, result.Message);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task The_last_owner_cannot_leave()
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.MembershipService().RemoveAsync(database.ActorFor(database.Owner), database.Workspace.Id, database.Owner.Id);

        Assert.Equal(OperationStatus.Conflict, result.Status);
        Assert.Equal(Permissions.LastOwnerRefusal, result.Message);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task With_a_second_owner_an_owner_may_step_down_and_then_leave()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        var second = await database.AddMemberAsync(Roles.Owner);

        var demoted = await service.ChangeRoleAsync(database.ActorFor(database.Owner), database.Workspace.Id, database.Owner.Id, Roles.Admin);
        var secondLeaves = await service.RemoveAsync(database.ActorFor(second), database.Workspace.Id, second.Id);

        Assert.True(demoted.Succeeded, demoted.Message);
        Assert.Equal(Roles.Admin, await database.RoleOfAsync(database.Owner));
        // Now the second owner is the last one.
        Assert.Equal(OperationStatus.Conflict, secondLeaves.Status);
        Assert.Equal(Roles.Owner, await database.RoleOfAsync(second));
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        await using var database = await TestDatabase.CreateAsync();
        var second = await database.AddMemberAsync(Roles.Owner);

        var results = await Task.WhenAll(
            Task.Run(() => database.MembershipService().ChangeRoleAsync(database.ActorFor(database.Owner), database.Workspace.Id, second.Id, Roles.Member)),
            Task.Run(() => database.MembershipService().ChangeRoleAsync(database.ActorFor(second), database.Workspace.Id, database.Owner.Id, Roles.Member)));

        var roles = new[] { await database.RoleOfAsync(database.Owner), await database.RoleOfAsync(second) };
        Assert.Single(roles, Roles.Owner);
        Assert.Single(results, r => r.Succeeded);
    }
}
