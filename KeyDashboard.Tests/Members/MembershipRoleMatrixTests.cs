using KeyDashboard.Audit;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Members;

/// <summary>
/// The members page's rules, by the actor's role and the target's role: owners manage everyone, admins add and
/// remove members only and change no roles, members manage no one. A refused call changes nothing.
/// </summary>
public sealed class MembershipRoleMatrixTests
{
    /// <summary>Actor's role, the role of whom they invite, add or remove, and whether that is allowed.</summary>
    public static TheoryData<string, string, bool> WhoManagesWhom => new()
    {
        { Roles.Owner, Roles.Owner, true },
        { Roles.Owner, Roles.Admin, true },
        { Roles.Owner, Roles.Member, true },
        { Roles.Admin, Roles.Owner, false },
        { Roles.Admin, Roles.Admin, false },
        { Roles.Admin, Roles.Member, true },
        { Roles.Member, Roles.Owner, false },
        { Roles.Member, Roles.Admin, false },
        { Roles.Member, Roles.Member, false },
    };

    [Theory]
    [MemberData(nameof(WhoManagesWhom))]
    public async Task Inviting_a_new_address(string actorRole, string inviteeRole, bool allowed)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.MembershipService().InviteAsync(database.ActorFor(database.UserWithRole(actorRole)), database.Workspace.Id,
            new InviteRequest("new.person@acme.test", inviteeRole));

        if (allowed)
        {
            Assert.True(result.Succeeded, result.Message);
            Assert.NotNull(result.Value!.Token);
            Assert.Equal(inviteeRole, result.Value.Invitation.Role);
            var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.MemberInvited));
            Assert.Equal("new.person@acme.test", entry.TargetName);
        }
        else
        {
            AssertRefused(result.Status, result.Message, actorRole, inviteeRole == Roles.Member ? Permissions.Refusal(Permission.ManageMembers) : null);
            Assert.Equal(before, await database.MembershipSnapshotAsync());
        }
    }

    [Theory]
    [MemberData(nameof(WhoManagesWhom))]
    public async Task Inviting_an_existing_account(string actorRole, string role, bool allowed)
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await database.MembershipSnapshotAsync();

        var result = await database.MembershipService().InviteAsync(database.ActorFor(database.UserWithRole(actorRole)), database.Workspace.Id,
            new InviteRequest(database.Outsider.Email, role));

        if (allowed)
        {
            Assert.True(result.Succeeded, result.Message);
            Assert.Equal(role, result.Value!.Invitation.Role);
            Assert.Null(await database.RoleOfAsync(database.Outsider));
            Assert.Equal(database.Outsider.Email, Assert.Single(await database.AuditEntriesAsync(AuditActions.MemberInvited)).TargetName);
        }
        else
        {
            AssertRefused(result.Status, result.Message, actorRole, role == Roles.Member ? Permissions.Refusal(Permission.ManageMembers) : null);
            Assert.Null(await database.RoleOfAsync(database.Outsider));
            Assert.Equal(before, await database.MembershipSnapshotAsync());
        }
    }

    [Theory]
    [InlineData(Roles.Owner, Roles.Owner, Roles.Admin, true)]
    [InlineData(Roles.Owner, Roles.Admin, Roles.Owner, true)]
    [InlineData(Roles.Owner, Roles.Admin, Roles.Member, true)]
    [InlineData(Roles.Owner, Roles.Member, Roles.Admin, true)]
    [InlineData(Roles.Owner, Roles.Member, Roles.Owner, true)]
    [InlineData(Roles.Admin, Roles.Owner, Roles.Member, false)]
    [InlineData(Roles.Admin, Roles.Admin, Roles.Member, false)]
    [InlineData(Roles.Admin, Roles.Member, Roles.Admin, false)]
    [InlineData(Roles.Admin, Roles.Member, Roles.Owner, false)]
    [InlineData(Roles.Member, Roles.Owner, Roles.Member, false)]
    [InlineData(Roles.Member, Roles.Admin, Roles.Member, false)]
    [InlineData(Roles.Member, Roles.Member, Roles.Admin, false)]
    public async Task Changing_a_role(string actorRole, string targetRole, string newRole, bool allowed)
    {
        await using var database = await TestDatabase.CreateAsync();
        // A second owner, so the last-owner rule does not decide the owner rows.
        var target = await database.AddMemberAsync(targetRole);
        var before = await database.MembershipSnapshotAsync();
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var result = await database.MembershipService().ChangeRoleAsync(database.ActorFor(database.UserWithRole(actorRole)), database.Workspace.Id, target.Id, newRole);

        if (allowed)
        {
            Assert.True(result.Succeeded, result.Message);
            Assert.Equal(newRole, await database.RoleOfAsync(target));
            var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.MemberRoleChanged));
            Assert.Equal(target.Id, entry.TargetId);
            Assert.Contains($"\"oldRole\":\"{targetRole}\"", entry.Details);
            Assert.Equal([database.Workspace.Id], published);
        }
        else
        {
            Assert.Equal(OperationStatus.Forbidden, result.Status);
            Assert.Equal(Permissions.Refusal(Permission.ChangeRoles), result.Message);
            Assert.Equal(before, await database.MembershipSnapshotAsync());
            Assert.Empty(published);
        }
    }

    [Theory]
    [MemberData(nameof(WhoManagesWhom))]
    public async Task Removing_a_member(string actorRole, string targetRole, bool allowed)
    {
        await using var database = await TestDatabase.CreateAsync();
        var target = await database.AddMemberAsync(targetRole);
        var before = await database.MembershipSnapshotAsync();
        var published = new List<Guid>();
        database.Changes.Changed += published.Add;

        var result = await database.MembershipService().RemoveAsync(database.ActorFor(database.UserWithRole(actorRole)), database.Workspace.Id, target.Id);

        if (allowed)
        {
            Assert.True(result.Succeeded, result.Message);
            Assert.Null(await database.RoleOfAsync(target));
            Assert.Equal(target.Id, Assert.Single(await database.AuditEntriesAsync(AuditActions.MemberRemoved)).TargetId);
            Assert.Equal([database.Workspace.Id], published);
        }
        else
        {
            AssertRefused(result.Status, result.Message, actorRole, targetRole == Roles.Member ? Permissions.Refusal(Permission.ManageMembers) : null);
            Assert.Equal(targetRole, await database.RoleOfAsync(target));
            Assert.Equal(before, await database.MembershipSnapshotAsync());
            Assert.Empty(published);
        }
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Member)]
    public async Task Anyone_but_the_last_owner_may_leave(string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var user = database.UserWithRole(role);

        var result = await database.MembershipService().RemoveAsync(database.ActorFor(user), database.Workspace.Id, user.Id);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(await database.RoleOfAsync(user));
        Assert.Contains("\"left\":true", Assert.Single(await database.AuditEntriesAsync(AuditActions.MemberRemoved)).Details);
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Only_owners_cancel_invitations_of_admins_and_owners(string actorRole)
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        var forAdmin = (await service.InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new("future.admin@acme.test", Roles.Admin))).Value!;
        var forMember = (await service.InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new("future.member@acme.test", Roles.Member))).Value!;
        var actor = database.ActorFor(database.UserWithRole(actorRole));

        var adminResult = await service.CancelInvitationAsync(actor, database.Workspace.Id, forAdmin.Invitation.Id);
        var memberResult = await service.CancelInvitationAsync(actor, database.Workspace.Id, forMember.Invitation.Id);

        Assert.Equal(actorRole == Roles.Owner ? OperationStatus.Ok : OperationStatus.Forbidden, adminResult.Status);
        Assert.Equal(OperationStatus.Ok, memberResult.Status);
        Assert.False((await service.PreviewInvitationAsync(forMember.Token)).Succeeded);
        Assert.Equal(actorRole != Roles.Owner, (await service.PreviewInvitationAsync(forAdmin.Token)).Succeeded);
        Assert.Equal(actorRole == Roles.Owner ? 2 : 1, (await database.AuditEntriesAsync(AuditActions.InvitationCancelled)).Count);
    }

    [Fact]
    public async Task A_member_cannot_cancel_an_invitation()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.MembershipService();
        var invited = (await service.InviteAsync(database.ActorFor(database.Owner), database.Workspace.Id, new("future.member@acme.test", Roles.Member))).Value!;

        var result = await service.CancelInvitationAsync(database.ActorFor(database.Member), database.Workspace.Id, invited.Invitation.Id);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.True((await service.PreviewInvitationAsync(invited.Token)).Succeeded);
    }

    /// <summary>Members get the general refusal; admins reaching above their level get the specific one.</summary>
    private static void AssertRefused(OperationStatus status, string? message, string actorRole, string? expectedMessage)
    {
        Assert.Equal(OperationStatus.Forbidden, status);
        if (actorRole == Roles.Member) Assert.Equal(Permissions.Refusal(Permission.ManageMembers), message);
        else if (expectedMessage is not null) Assert.Equal(expectedMessage, message);
        else Assert.StartsWith("Admins can ", message);
    }
}
