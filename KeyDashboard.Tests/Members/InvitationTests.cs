using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Members;

/// <summary>
/// Invitations: shown once, stored only as a hash, answered once within seven days, for the invited address only, and
/// nobody joins without accepting (see also <see cref="InvitationConsentTests"/>).
/// </summary>
public sealed class InvitationTests
{
    private const string Invitee = "new.person@acme.test";

    [Fact]
    public async Task Only_a_hash_of_the_token_is_stored_anywhere()
    {
        await using var database = await TestDatabase.CreateAsync();

        var token = await database.InviteAsync(Invitee);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.DoesNotContain(token, await StoredText.AllAsync(database));
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var row = await db.Invitations.SingleAsync();
        Assert.Equal(InvitationToken.Hash(token), row.TokenHash);
        Assert.DoesNotContain(token, (await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.MemberInvited)).Details);
    }

    [Fact]
    public async Task An_accept_while_another_writer_holds_the_database_is_busy_not_already_accepted_and_can_be_retried()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var service = database.MembershipService();
        var invitee = await database.AddUserAsync(Invitee);

        OperationResult<AnsweredInvitation> busy;
        var signedIn = database.ActorFor(invitee);
        await using (await DatabaseWriteLock.TakeAsync(database.Directory))
            busy = await service.AcceptInvitationAsync(signedIn, token).OrUnavailable();
        var retried = await service.AcceptInvitationAsync(database.ActorFor(invitee), token);

        Assert.Equal((OperationStatus.Unavailable, DatabaseUnavailable.Message), (busy.Status, busy.Message));
        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(Roles.Member, await database.RoleOfAsync(invitee));
    }

    [Fact]
    public async Task The_invitee_accepts_once_and_becomes_a_member_with_the_invited_role()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee, Roles.Admin);
        var service = database.MembershipService();
        var invitee = await database.AddUserAsync(Invitee);

        var preview = await service.PreviewInvitationAsync(token);
        var accepted = await service.AcceptInvitationAsync(database.ActorFor(invitee), token);
        var again = await service.AcceptInvitationAsync(database.ActorFor(invitee), token);

        Assert.Equal(new InvitationPreview("Acme", Invitee, Roles.Admin, database.Clock.GetUtcNow().AddDays(7), AccountExists: true), preview.Value);
        Assert.True(accepted.Succeeded, accepted.Message);
        Assert.Equal(new AnsweredInvitation(database.Workspace.Id, "Acme", Roles.Admin), accepted.Value);
        Assert.Equal(Roles.Admin, await database.RoleOfAsync(invitee));
        Assert.Equal(OperationStatus.NotFound, again.Status);
        Assert.False((await service.PreviewInvitationAsync(token)).Succeeded);
        var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.InvitationAccepted));
        Assert.Equal(invitee.Id, entry.ActorId);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.Empty(await db.Invitations.ToListAsync());
        Assert.Equal(database.Workspace.Id, (await db.Users.SingleAsync(u => u.Id == invitee.Id)).CurrentWorkspaceId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Of_ten_accepts_at_once_one_makes_the_membership_and_the_others_are_told_it_was_accepted(bool throughTheLink)
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var invitee = await database.AddUserAsync(Invitee);
        var invitationId = (await database.MembershipService().ReceivedInvitationsAsync(database.ActorFor(invitee))).Single().Id;
        var race = new Race(database, runners: 10);
        var runners = Enumerable.Range(0, 10).Select(_ => race.Runner()).ToList();

        // Every runner reads the open invitation before any of them writes (see Race).
        var results = await Task.WhenAll(runners.Select(runner => Task.Run(() => throughTheLink
            ? runner.Members.AcceptInvitationAsync(database.ActorFor(invitee), token)
            : runner.Members.AcceptInvitationAsync(database.ActorFor(invitee), invitationId))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r =>
        {
            Assert.Equal(OperationStatus.Conflict, r.Status);
            Assert.Equal("This invitation was accepted already: you are a member of Acme.", r.Message);
        });
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.UserId == invitee.Id));
        Assert.Single(await database.AuditEntriesAsync(AuditActions.InvitationAccepted));
        Assert.Empty(await db.Invitations.ToListAsync());
    }

    [Fact]
    public async Task An_invitation_expires_after_seven_days()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var invitee = await database.AddUserAsync(Invitee);
        var service = database.MembershipService();

        database.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.True((await service.PreviewInvitationAsync(token)).Succeeded);
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        var accepted = await service.AcceptInvitationAsync(database.ActorFor(invitee), token);

        Assert.Equal(OperationStatus.Invalid, accepted.Status);
        Assert.Contains("expired", accepted.Message);
        Assert.Null(await database.RoleOfAsync(invitee));
        Assert.True(Assert.Single((await service.ListAsync(database.ActorFor(database.Owner), database.Workspace.Id)).Value!.Invitations).Expired);
    }

    [Fact]
    public async Task Only_the_invited_address_can_accept()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);

        var result = await database.MembershipService().AcceptInvitationAsync(database.ActorFor(database.Outsider), token);
        var declined = await database.MembershipService().DeclineInvitationAsync(database.ActorFor(database.Outsider), token);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Contains(Invitee, result.Message);
        Assert.Equal(OperationStatus.Forbidden, declined.Status);
        Assert.Null(await database.RoleOfAsync(database.Outsider));
        Assert.True((await database.MembershipService().PreviewInvitationAsync(token)).Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Anything_but_a_live_token_is_refused(string? token)
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.InviteAsync(Invitee);
        var invitee = await database.AddUserAsync(Invitee);

        var result = await database.MembershipService().AcceptInvitationAsync(database.ActorFor(invitee), token);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Null(await database.RoleOfAsync(invitee));
    }

    [Fact]
    public async Task Inviting_the_same_address_again_replaces_the_old_link()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await database.InviteAsync(Invitee);
        var second = await database.InviteAsync(Invitee, Roles.Admin);
        var service = database.MembershipService();

        Assert.False((await service.PreviewInvitationAsync(first)).Succeeded);
        Assert.Equal(Roles.Admin, (await service.PreviewInvitationAsync(second)).Value!.Role);
        Assert.Single((await service.ListAsync(database.ActorFor(database.Owner), database.Workspace.Id)).Value!.Invitations);
    }

    [Fact]
    public async Task A_new_address_is_not_an_account_yet()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);

        var preview = await database.MembershipService().PreviewInvitationAsync(token);

        Assert.False(preview.Value!.AccountExists);
    }
}
