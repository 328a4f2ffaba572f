using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Members;

/// <summary>
/// Nobody joins a workspace without saying yes: an invitation waits for the invited address's own answer, account or
/// not, and the inviter cannot tell which it was.
/// </summary>
public sealed class InvitationConsentTests
{
    private const string Invitee = "new.person@acme.test";

    [Fact]
    public async Task Inviting_an_existing_account_adds_no_membership_and_answers_as_for_a_new_address()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (owner, workspaceId, service) = (database.ActorFor(database.Owner), database.Workspace.Id, database.MembershipService());
        const string newAddress = "nobody.yet@nowhere.test";

        var forAccount = await service.InviteAsync(owner, workspaceId, new(database.Outsider.Email, Roles.Admin));
        var forNewAddress = await service.InviteAsync(owner, workspaceId, new(newAddress, Roles.Admin));

        Assert.True(forAccount.Succeeded, forAccount.Message);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.UserId == database.Outsider.Id && m.WorkspaceId == workspaceId));
        Assert.Equal(Masked(forNewAddress, newAddress), Masked(forAccount, database.Outsider.Email!));
        var invited = await database.AuditEntriesAsync(AuditActions.MemberInvited);
        Assert.Equal(2, invited.Count);
        Assert.Equal(MaskedEntry(invited.Single(e => e.TargetName == newAddress)), MaskedEntry(invited.Single(e => e.TargetName == database.Outsider.Email)));
        Assert.Empty(await database.AuditEntriesAsync(AuditActions.MemberAdded));
        var rows = await db.Invitations.AsNoTracking().Select(i => new { i.Role, i.InvitedByUserId, i.CreatedAt, i.ExpiresAt }).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_invitation_for_one_address_cannot_be_answered_by_someone_signed_in_with_another(bool throughTheLink)
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var invitee = await database.AddUserAsync(Invitee);
        var invitationId = Assert.Single(await database.MembershipService().ReceivedInvitationsAsync(database.ActorFor(invitee))).Id;
        var intruder = database.ActorFor(database.Outsider);
        var service = database.MembershipService();

        var accepted = throughTheLink ? await service.AcceptInvitationAsync(intruder, token) : await service.AcceptInvitationAsync(intruder, invitationId);
        var declined = throughTheLink ? await service.DeclineInvitationAsync(intruder, token) : await service.DeclineInvitationAsync(intruder, invitationId);

        // Through the link the page names the invited address already; without it, another's invitation does not exist.
        var refusal = throughTheLink ? OperationStatus.Forbidden : OperationStatus.NotFound;
        Assert.Equal([refusal, refusal], [accepted.Status, declined.Status]);
        Assert.Empty(await service.ReceivedInvitationsAsync(intruder));
        Assert.Null(await database.RoleOfAsync(database.Outsider));
        Assert.True((await service.PreviewInvitationAsync(token)).Succeeded);
        Assert.Empty(await database.AuditEntriesAsync(AuditActions.InvitationAccepted));
        Assert.Empty(await database.AuditEntriesAsync(AuditActions.InvitationDeclined));
    }

    [Fact]
    public async Task The_dashboard_offers_an_invitation_to_the_address_however_it_was_typed_and_to_no_other()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.InviteAsync("New.Person@ACME.test", Roles.Admin);
        var invitee = await database.AddUserAsync(Invitee);
        var lookalike = await database.AddUserAsync("new.person@acme.test.example");

        var received = await database.MembershipService().ReceivedInvitationsAsync(database.ActorFor(invitee));

        Assert.Equal(new ReceivedInvitation(received.Single().Id, database.Workspace.Id, "Acme", Roles.Admin, database.Owner.Email!,
            database.Clock.GetUtcNow().AddDays(7)), Assert.Single(received));
        Assert.Empty(await database.MembershipService().ReceivedInvitationsAsync(database.ActorFor(lookalike)));
    }

    [Fact]
    public async Task An_unconfirmed_address_is_offered_no_invitation_and_needs_the_link()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var registered = await database.AddUserAsync(Invitee);
        await using (var db = await database.DbFactory.CreateDbContextAsync())
            await db.Users.Where(u => u.Id == registered.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, false));
        Guid invitationId;
        await using (var db = await database.DbFactory.CreateDbContextAsync()) invitationId = (await db.Invitations.SingleAsync()).Id;
        var service = database.MembershipService();

        var received = await service.ReceivedInvitationsAsync(database.ActorFor(registered));
        var withoutLink = await service.AcceptInvitationAsync(database.ActorFor(registered), invitationId);

        // Anyone may register any address here without confirming it: holding the link is what proves the invitation.
        Assert.Empty(received);
        Assert.Equal(OperationStatus.NotFound, withoutLink.Status);
        Assert.Null(await database.RoleOfAsync(registered));
        Assert.True((await service.AcceptInvitationAsync(database.ActorFor(registered), token)).Succeeded);
    }

    [Fact]
    public async Task Declining_deletes_the_invitation_audits_it_and_the_link_stops_working()
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee, Roles.Admin);
        var invitee = await database.AddUserAsync(Invitee);
        var service = database.MembershipService();
        var invitation = Assert.Single(await service.ReceivedInvitationsAsync(database.ActorFor(invitee)));

        var declined = await service.DeclineInvitationAsync(database.ActorFor(invitee), invitation.Id);

        Assert.True(declined.Succeeded, declined.Message);
        Assert.Equal(new AnsweredInvitation(database.Workspace.Id, "Acme", Roles.Admin), declined.Value);
        Assert.Null(await database.RoleOfAsync(invitee));
        Assert.Empty(await service.ReceivedInvitationsAsync(database.ActorFor(invitee)));
        Assert.Equal(OperationStatus.NotFound, (await service.PreviewInvitationAsync(token)).Status);
        Assert.Empty((await service.ListAsync(database.ActorFor(database.Owner), database.Workspace.Id)).Value!.Invitations);
        var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.InvitationDeclined));
        Assert.Equal((invitee.Id, database.Workspace.Id, "invitation", invitation.Id.ToString(), Invitee),
            (entry.ActorId, entry.WorkspaceId, entry.TargetType, entry.TargetId, entry.TargetName));
    }

    [Theory]
    [InlineData("declined", true)]
    [InlineData("declined", false)]
    [InlineData("cancelled", true)]
    [InlineData("cancelled", false)]
    [InlineData("expired", true)]
    [InlineData("expired", false)]
    [InlineData("used", true)]
    [InlineData("used", false)]
    public async Task A_declined_cancelled_expired_or_used_invitation_cannot_be_accepted(string state, bool throughTheLink)
    {
        await using var database = await TestDatabase.CreateAsync();
        var token = await database.InviteAsync(Invitee);
        var invitee = database.ActorFor(await database.AddUserAsync(Invitee));
        var service = database.MembershipService();
        var invitationId = Assert.Single(await service.ReceivedInvitationsAsync(invitee)).Id;
        var owner = database.ActorFor(database.Owner);
        switch (state)
        {
            case "declined": Assert.True((await service.DeclineInvitationAsync(invitee, invitationId)).Succeeded); break;
            case "cancelled": Assert.True((await service.CancelInvitationAsync(owner, database.Workspace.Id, invitationId)).Succeeded); break;
            case "expired": database.Clock.Advance(MembershipService.InvitationLifetime); break;
            case "used":
                Assert.True((await service.AcceptInvitationAsync(invitee, token)).Succeeded);
                // Removed since: a second use would bring them back.
                Assert.True((await service.RemoveAsync(owner, database.Workspace.Id, invitee.UserId)).Succeeded);
                break;
        }

        var result = throughTheLink ? await service.AcceptInvitationAsync(invitee, token) : await service.AcceptInvitationAsync(invitee, invitationId);

        Assert.Equal(state == "expired" ? OperationStatus.Invalid : OperationStatus.NotFound, result.Status);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.UserId == invitee.UserId));
        Assert.Equal(state == "used" ? 1 : 0, (await database.AuditEntriesAsync(AuditActions.InvitationAccepted)).Count);
    }

    /// <summary>The whole answer as JSON, with what must differ (the address, the invitation's id, its token) masked.</summary>
    private static string Masked(OperationResult<InviteOutcome> result, string email) =>
        JsonSerializer.Serialize(result)
            .Replace(email, "{email}", StringComparison.Ordinal)
            .Replace(result.Value!.Invitation.Id.ToString(), "{id}", StringComparison.Ordinal)
            .Replace(result.Value.Token, "{token}", StringComparison.Ordinal);

    /// <summary>The audit entry as the log shows it, but for the address and the invitation's id.</summary>
    private static string MaskedEntry(AuditEntry entry) => JsonSerializer.Serialize(new
    {
        entry.At, entry.WorkspaceId, entry.ActorType, entry.ActorId, entry.ActorName, entry.Action, entry.TargetType, entry.Details, entry.ClientAddress,
    });
}
