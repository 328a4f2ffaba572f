using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Workspaces;

/// <summary>
/// "Require two-factor authentication for owners and admins", attacked through the services the dashboard and the API
/// share: while it is on, an owner or admin without two-factor authentication changes nothing (keys, members, roles,
/// settings), whatever their role allows, and still reads everything; members are not affected.
/// </summary>
public sealed class TwoFactorRequirementTests
{
    public enum Call
    {
        CreateKey, EditKey, RotateKey, RevokeKey, RevokeKeys,
        Invite, CancelInvitation, RemoveMember, ChangeRole,
        Rename, ChangePlan, ChangePolicy, StopRequiringTwoFactor,
    }

    /// <summary>Each management call, with a role that may make it when two-factor authentication is not in the way.</summary>
    public static TheoryData<Call, string> ManagementCalls()
    {
        var calls = new TheoryData<Call, string>();
        foreach (var call in Enum.GetValues<Call>())
        {
            calls.Add(call, Roles.Owner);
            if (Permissions.Allows(Roles.Admin, PermissionOf(call))) calls.Add(call, Roles.Admin);
        }
        return calls;
    }

    public static TheoryData<Call> EveryCall() => new(Enum.GetValues<Call>());

    [Theory]
    [MemberData(nameof(ManagementCalls))]
    public async Task Without_two_factor_an_owner_or_admin_is_refused_every_management_call_and_nothing_changes(Call call, string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var targets = await Targets.CreateAsync(database);
        await database.RequireTwoFactorAsync();
        var before = (await DatabaseSnapshot.TakeAsync(database), await database.MembershipSnapshotAsync());
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var (status, message) = await InvokeAsync(database, call, database.UserWithRole(role), database.Workspace.Id, targets);

        Assert.Equal(OperationStatus.Forbidden, status);
        Assert.Equal(Permissions.RefusalFor(role, PermissionOf(call), missingTwoFactor: true), message);
        Assert.StartsWith("Turn on two-factor authentication to ", message);
        if (PermissionOf(call) == Permission.ManageKeys) Assert.StartsWith("Turn on two-factor authentication to manage keys", message);
        Assert.Equal(before, (await DatabaseSnapshot.TakeAsync(database), await database.MembershipSnapshotAsync()));
        Assert.Empty(published);
    }

    [Theory]
    [MemberData(nameof(ManagementCalls))]
    public async Task With_two_factor_on_the_same_call_is_allowed(Call call, string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var targets = await Targets.CreateAsync(database);
        await database.RequireTwoFactorAsync();
        var actor = database.UserWithRole(role);
        await database.EnableTwoFactorAsync(actor);

        var (status, message) = await InvokeAsync(database, call, actor, database.Workspace.Id, targets);

        Assert.True(status == OperationStatus.Ok, message);
    }

    [Theory]
    [MemberData(nameof(ManagementCalls))]
    public async Task Without_the_requirement_no_one_needs_two_factor(Call call, string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var targets = await Targets.CreateAsync(database);

        var (status, message) = await InvokeAsync(database, call, database.UserWithRole(role), database.Workspace.Id, targets);

        Assert.True(status == OperationStatus.Ok, message);
    }

    [Theory]
    [MemberData(nameof(EveryCall))]
    public async Task A_member_gets_the_same_refusal_as_without_the_requirement(Call call)
    {
        await using var database = await TestDatabase.CreateAsync();
        var targets = await Targets.CreateAsync(database);
        await database.RequireTwoFactorAsync();
        var before = await database.MembershipSnapshotAsync();

        var (status, message) = await InvokeAsync(database, call, database.Member, database.Workspace.Id, targets);

        Assert.Equal(OperationStatus.Forbidden, status);
        Assert.Equal(Permissions.Refusal(PermissionOf(call)), message);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Reading_and_leaving_stay_open_to_an_admin_without_two_factor()
    {
        await using var database = await TestDatabase.CreateAsync();
        var targets = await Targets.CreateAsync(database);
        await database.RequireTwoFactorAsync();
        var admin = database.ActorFor(database.Admin);
        var workspaceId = database.Workspace.Id;
        var keys = database.KeyService();

        Assert.True((await keys.ListAsync(admin, workspaceId, new KeyQuery())).Succeeded);
        Assert.True((await keys.GetAsync(admin, workspaceId, targets.KeyId)).Succeeded);
        Assert.True((await keys.ImpactAsync(admin, workspaceId, targets.KeyId)).Succeeded);
        Assert.True((await database.Services.GetRequiredService<KeyDetailsService>().DetailsAsync(admin, workspaceId, targets.KeyId)).Succeeded);
        Assert.True((await database.MembershipService().ListAsync(admin, workspaceId)).Succeeded);
        Assert.True((await database.Services.GetRequiredService<AuditLogQuery>().ListAsync(admin, workspaceId, new AuditFilter(), 0, 10)).Succeeded);
        Assert.True((await database.MembershipService().RemoveAsync(admin, workspaceId, database.Admin.Id)).Succeeded);
    }

    [Fact]
    public async Task An_owner_without_two_factor_cannot_turn_the_requirement_on()
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var result = await database.SettingsService().ChangeTwoFactorRequirementAsync(database.ActorFor(database.Owner), database.Workspace.Id, true);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Equal(Permissions.RequireTwoFactorWithoutItRefusal, result.Message);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
        Assert.Empty(published);
    }

    [Fact]
    public async Task An_owner_with_two_factor_turns_it_on_audited_and_announced()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.EnableTwoFactorAsync(database.Owner);
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var result = await database.SettingsService().ChangeTwoFactorRequirementAsync(database.ActorFor(database.Owner), database.Workspace.Id, true);

        Assert.True(result.Succeeded, result.Message);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.True(await db.Workspaces.Where(w => w.Id == database.Workspace.Id).Select(w => w.RequireTwoFactorForManagers).SingleAsync());
        Assert.False(await db.Workspaces.Where(w => w.Id == database.OtherWorkspace.Id).Select(w => w.RequireTwoFactorForManagers).SingleAsync());
        var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.WorkspaceTwoFactorRequirementChanged));
        Assert.Equal((database.Workspace.Id, database.Owner.Id, "{\"required\":true}"), (entry.WorkspaceId, entry.ActorId, entry.Details));
        Assert.Equal([database.Workspace.Id], published);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Member)]
    public async Task Only_owners_change_the_requirement_even_with_two_factor(string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var user = database.UserWithRole(role);
        await database.EnableTwoFactorAsync(user);
        var before = await database.MembershipSnapshotAsync();

        var result = await database.SettingsService().ChangeTwoFactorRequirementAsync(database.ActorFor(user), database.Workspace.Id, true);

        Assert.Equal((OperationStatus.Forbidden, Permissions.Refusal(Permission.ManageWorkspace)), (result.Status, result.Message));
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    [Fact]
    public async Task Another_workspaces_requirement_does_not_apply_here()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.AddMembershipAsync(database.OtherWorkspace, database.Admin, Roles.Admin);
        await database.RequireTwoFactorAsync(database.OtherWorkspace);
        var keys = database.KeyService();
        var admin = database.ActorFor(database.Admin);

        var here = await keys.CreateAsync(admin, database.Workspace.Id, WorldKeys.KeyRequest("acme-deploy"));
        var there = await keys.CreateAsync(admin, database.OtherWorkspace.Id, WorldKeys.KeyRequest("other-deploy"));

        Assert.True(here.Succeeded, here.Message);
        Assert.Equal((OperationStatus.Forbidden, Permissions.ManageKeysWithoutTwoFactorRefusal), (there.Status, there.Message));
    }

    [Fact]
    public async Task An_owner_cannot_switch_another_workspaces_requirement()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.EnableTwoFactorAsync(database.Owner);
        var before = await database.MembershipSnapshotAsync();

        var result = await database.SettingsService().ChangeTwoFactorRequirementAsync(database.ActorFor(database.Owner), database.OtherWorkspace.Id, true);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Equal(before, await database.MembershipSnapshotAsync());
    }

    private static Permission PermissionOf(Call call) => call switch
    {
        Call.CreateKey or Call.EditKey or Call.RotateKey or Call.RevokeKey or Call.RevokeKeys => Permission.ManageKeys,
        Call.Invite or Call.CancelInvitation or Call.RemoveMember => Permission.ManageMembers,
        Call.ChangeRole => Permission.ChangeRoles,
        _ => Permission.ManageWorkspace,
    };

    /// <summary>
    /// What the calls act on, made before the requirement is turned on: a member's key, a member's invitation, and a
    /// member to remove or promote (not the one acting: leaving is not managing).
    /// </summary>
    private sealed record Targets(string KeyId, Guid InvitationId, string MemberId)
    {
        public static async Task<Targets> CreateAsync(TestDatabase database)
        {
            var key = await database.CreateKeyAsync(WorldKeys.KeyRequest("member-automation", owner: database.Member));
            var invited = await database.MembershipService().InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id,
                new InviteRequest("invitee@acme.test", Roles.Member));
            var member = await database.AddMemberAsync(Roles.Member);
            return new Targets(key.Key.Id, invited.Value!.Invitation.Id, member.Id);
        }
    }

    private static async Task<(OperationStatus Status, string? Message)> InvokeAsync(TestDatabase database, Call call,
        ApplicationUser user, Guid workspaceId, Targets targets)
    {
        var actor = database.ActorFor(user);
        var keys = database.KeyService();
        var members = database.MembershipService();
        var settings = database.SettingsService();
        return call switch
        {
            Call.CreateKey => Outcome(await keys.CreateAsync(actor, workspaceId, WorldKeys.KeyRequest("another", owner: database.Member))),
            Call.EditKey => Outcome(await keys.EditAsync(actor, workspaceId, targets.KeyId, new EditKeyRequest("renamed", "changed"))),
            Call.RotateKey => Outcome(await keys.RotateAsync(actor, workspaceId, targets.KeyId, RotationGrace.OneHour)),
            Call.RevokeKey => Outcome(await keys.RevokeAsync(actor, workspaceId, targets.KeyId, "no longer needed")),
            Call.RevokeKeys => Outcome(await keys.RevokeManyAsync(actor, workspaceId, [targets.KeyId], "no longer needed")),
            Call.Invite => Outcome(await members.InviteAsync(actor, workspaceId, new InviteRequest("new.person@acme.test", Roles.Member))),
            Call.CancelInvitation => Outcome(await members.CancelInvitationAsync(actor, workspaceId, targets.InvitationId)),
            Call.RemoveMember => Outcome(await members.RemoveAsync(actor, workspaceId, targets.MemberId)),
            Call.ChangeRole => Outcome(await members.ChangeRoleAsync(actor, workspaceId, targets.MemberId, Roles.Admin)),
            Call.Rename => Outcome(await settings.RenameAsync(actor, workspaceId, "Acme Corp")),
            Call.ChangePlan => Outcome(await settings.ChangePlanAsync(actor, workspaceId, WorkspacePlan.Free)),
            Call.ChangePolicy => Outcome(await settings.ChangePolicyAsync(actor, workspaceId, new KeyPolicy(90, 180, AllowNeverExpiring: false))),
            _ => Outcome(await settings.ChangeTwoFactorRequirementAsync(actor, workspaceId, require: false)),
        };
    }

    private static (OperationStatus, string?) Outcome<T>(OperationResult<T> result) => (result.Status, result.Message);
}
