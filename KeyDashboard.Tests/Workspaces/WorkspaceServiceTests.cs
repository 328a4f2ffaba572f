using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Workspaces;

public sealed class WorkspaceServiceTests
{
    [Fact]
    public async Task Switching_to_a_workspace_of_ones_own_records_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.AddMembershipAsync(database.OtherWorkspace, database.Member, Roles.Admin);

        var result = await new WorkspaceService(database.DbFactory).SwitchAsync(database.Member.Id, database.OtherWorkspace.Id);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(new WorkspaceChoice(database.OtherWorkspace.Id, "Other", Roles.Admin, WorkspacePlan.Paid), result.Value);
        Assert.Equal(database.OtherWorkspace.Id, await database.CurrentWorkspaceIdAsync(database.Member));
    }

    [Fact]
    public async Task Switching_to_someone_elses_workspace_is_refused_and_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = new WorkspaceService(database.DbFactory);
        await service.SwitchAsync(database.Member.Id, database.Workspace.Id);

        var result = await service.SwitchAsync(database.Member.Id, database.OtherWorkspace.Id);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Equal("You are not a member of that workspace.", result.Message);
        Assert.Equal(database.Workspace.Id, await database.CurrentWorkspaceIdAsync(database.Member));
    }

    [Fact]
    public async Task Lists_only_the_users_own_workspaces()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.AddMembershipAsync(database.OtherWorkspace, database.Member, Roles.Owner);

        var mine = await new WorkspaceService(database.DbFactory).ListMineAsync(database.Member.Id);

        Assert.Equal([("Acme", Roles.Member), ("Other", Roles.Owner)], mine.Select(w => (w.Name, w.Role)));
        Assert.Empty(await new WorkspaceService(database.DbFactory).ListMineAsync(database.Outsider.Id));
    }
}
