using KeyDashboard.Audit;
using KeyDashboard.Tests.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Workspaces;

/// <summary>Creating a workspace, and its settings: only owners change name, plan and key policy.</summary>
public sealed class WorkspaceSettingsServiceTests
{
    public enum Change { Rename, Plan, Policy }

    [Fact]
    public async Task The_creator_of_a_workspace_is_its_owner_and_works_in_it()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await database.SettingsService().CreateAsync(database.ActorFor(database.Member), "  Side project  ");

        Assert.True(result.Succeeded, result.Message);
        var created = result.Value!;
        Assert.Equal(("Side project", Roles.Owner, WorkspacePlan.Free), (created.Name, created.Role, created.Plan));
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.Equal(created.Id, (await db.Users.SingleAsync(u => u.Id == database.Member.Id)).CurrentWorkspaceId);
        Assert.Equal(Roles.Owner, await WorkspaceAccess.RoleAsync(db, created.Id, database.Member.Id));
        Assert.Equal(created.Id, Assert.Single(await database.AuditEntriesAsync(AuditActions.WorkspaceCreated)).WorkspaceId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    public async Task A_workspace_needs_a_name(string name)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.SettingsService().CreateAsync(database.ActorFor(database.Member), name);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Theory]
    [InlineData(Change.Rename, Roles.Owner, OperationStatus.Ok)]
    [InlineData(Change.Rename, Roles.Admin, OperationStatus.Forbidden)]
    [InlineData(Change.Rename, Roles.Member, OperationStatus.Forbidden)]
    [InlineData(Change.Plan, Roles.Owner, OperationStatus.Ok)]
    [InlineData(Change.Plan, Roles.Admin, OperationStatus.Forbidden)]
    [InlineData(Change.Plan, Roles.Member, OperationStatus.Forbidden)]
    [InlineData(Change.Policy, Roles.Owner, OperationStatus.Ok)]
    [InlineData(Change.Policy, Roles.Admin, OperationStatus.Forbidden)]
    [InlineData(Change.Policy, Roles.Member, OperationStatus.Forbidden)]
    public async Task Only_owners_change_settings(Change change, string role, OperationStatus expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var (status, message) = await ApplyAsync(database, change, database.UserWithRole(role), database.Workspace.Id);

        Assert.Equal(expected, status);
        if (expected == OperationStatus.Ok)
        {
            var action = change switch
            {
                Change.Rename => AuditActions.WorkspaceRenamed,
                Change.Plan => AuditActions.WorkspacePlanChanged,
                _ => AuditActions.WorkspacePolicyChanged,
            };
            Assert.Single(await database.AuditEntriesAsync(action));
            Assert.Equal([database.Workspace.Id], published);
        }
        else
        {
            Assert.Equal(Permissions.Refusal(Permission.ManageWorkspace), message);
            Assert.Equal(before, await database.MembershipSnapshotAsync());
            Assert.Empty(published);
        }
    }

    [Theory]
    [InlineData(Change.Rename)]
    [InlineData(Change.Plan)]
    [InlineData(Change.Policy)]
    public async Task Another_workspaces_id_finds_nothing(Change change)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var (status, _) = await ApplyAsync(database, change, database.Owner, database.OtherWorkspace.Id);

        Assert.Equal(OperationStatus.NotFound, status);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Changes_are_saved_and_audited_with_old_and_new_values()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.SettingsService();
        var owner = database.ActorFor(database.Owner);

        await service.RenameAsync(owner, database.Workspace.Id, "Acme Corp");
        await service.ChangePlanAsync(owner, database.Workspace.Id, WorkspacePlan.Free);
        await service.ChangePolicyAsync(owner, database.Workspace.Id, new KeyPolicy(90, 180, AllowNeverExpiring: true));

        await using var db = await database.DbFactory.CreateDbContextAsync();
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == database.Workspace.Id);
        Assert.Equal(("Acme Corp", WorkspacePlan.Free, 90, (int?)180, true),
            (workspace.Name, workspace.Plan, workspace.DefaultKeyLifetimeDays, workspace.MaxKeyLifetimeDays, workspace.AllowNeverExpiringKeys));
        Assert.Contains("\"oldName\":\"Acme\"", Assert.Single(await database.AuditEntriesAsync(AuditActions.WorkspaceRenamed)).Details);
        Assert.Contains("\"oldPlan\":\"Paid\",\"plan\":\"Free\"", Assert.Single(await database.AuditEntriesAsync(AuditActions.WorkspacePlanChanged)).Details);
        Assert.Contains("\"DefaultLifetimeDays\":90", Assert.Single(await database.AuditEntriesAsync(AuditActions.WorkspacePolicyChanged)).Details);
    }

    [Fact]
    public async Task Saving_unchanged_settings_records_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.SettingsService();
        var owner = database.ActorFor(database.Owner);
        var before = await database.MembershipSnapshotAsync();

        await service.RenameAsync(owner, database.Workspace.Id, "Acme");
        await service.ChangePlanAsync(owner, database.Workspace.Id, WorkspacePlan.Paid);
        await service.ChangePolicyAsync(owner, database.Workspace.Id, KeyPolicy.Of(database.Workspace));

        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Theory]
    [InlineData(0, 365, nameof(KeyPolicy.DefaultLifetimeDays))]
    [InlineData(3651, null, nameof(KeyPolicy.DefaultLifetimeDays))]
    [InlineData(30, 0, nameof(KeyPolicy.MaxLifetimeDays))]
    [InlineData(30, 3651, nameof(KeyPolicy.MaxLifetimeDays))]
    [InlineData(400, 365, nameof(KeyPolicy.DefaultLifetimeDays))]
    public async Task A_policy_out_of_bounds_is_refused_with_the_field(int defaultDays, int? maxDays, string field)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.SettingsService().ChangePolicyAsync(database.ActorFor(database.Owner), database.Workspace.Id, new KeyPolicy(defaultDays, maxDays, false));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field), string.Join(", ", result.Errors.Keys));
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task No_longest_lifetime_means_no_limit()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await database.SettingsService().ChangePolicyAsync(database.ActorFor(database.Owner), database.Workspace.Id, new KeyPolicy(3650, null, false));

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.Value!.MaxKeyLifetimeDays);
    }

    private static async Task<(OperationStatus, string?)> ApplyAsync(TestDatabase database, Change change, KeyDashboard.Data.ApplicationUser user, Guid workspaceId)
    {
        var service = database.SettingsService();
        var actor = database.ActorFor(user);
        var result = change switch
        {
            Change.Rename => await service.RenameAsync(actor, workspaceId, "Renamed"),
            Change.Plan => await service.ChangePlanAsync(actor, workspaceId, WorkspacePlan.Free),
            _ => await service.ChangePolicyAsync(actor, workspaceId, new KeyPolicy(30, 90, false)),
        };
        return (result.Status, result.Message);
    }
}
