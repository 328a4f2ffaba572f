using System.Net.Mail;
using System.Security.Cryptography;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Members;

/// <summary>
/// A workspace's members: invite, change roles, remove, and accept or decline invitations. Every call checks the actor's
/// role in the database (see <see cref="Permissions"/>; anyone outside the workspace gets "not found"),
/// writes its audit entry in the same transaction as the change, and announces removals and role changes on
/// <see cref="WorkspaceChanges"/> once committed, so the member's keys and open sessions lose the power at once.
/// </summary>
public sealed class MembershipService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WorkspaceChanges changes,
    MailQueue mail, PublicLinks links)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const int EmailMaxLength = 256;
    private const string NoSuchMember = "No such member in this workspace.";
    private const string InvalidLink = "This invitation link is not valid. It may have been used already or cancelled: ask for a new one.";
    private const string NotOpen = "This invitation is not open any more: it was answered or cancelled.";

    /// <summary>Every member may see who else belongs to the workspace, and who is invited.</summary>
    public async Task<OperationResult<MemberList>> ListAsync(Actor actor, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<MemberList>();
        var now = clock.GetUtcNow();
        var members = await Members(db, workspaceId).ToListAsync(ct);
        var invitations = await db.Invitations.Where(i => i.WorkspaceId == workspaceId).OrderBy(i => i.Email)
            .Select(i => new InvitationSummary(i.Id, i.Email, i.Role, i.InvitedBy.Email ?? i.InvitedByUserId, i.ExpiresAt, i.ExpiresAt <= now))
            .ToListAsync(ct);
        return OperationResult<MemberList>.Ok(new MemberList(members, invitations));
    }

    /// <summary>The members alone, by e-mail address: for choosing a key's owner, and the API's member list.</summary>
    public async Task<OperationResult<IReadOnlyList<MemberSummary>>> MembersAsync(Actor actor, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<IReadOnlyList<MemberSummary>>();
        return OperationResult<IReadOnlyList<MemberSummary>>.Ok(await Members(db, workspaceId).ToListAsync(ct));
    }

    /// <summary>
    /// Creates a pending invitation for the address (replacing a pending one for the same address) and returns its
    /// token, which is not stored and cannot be shown again. Whether or not the address has an account, nobody joins
    /// until they accept, and the answer, the stored row and the audit entry are the same: the inviter learns nothing
    /// about who has an account. Once committed, the link is e-mailed to the address when this server sends e-mail and
    /// knows its address (<paramref name="requestBaseUri"/>, the inviter's page, or <c>KeyDashboard:PublicUrl</c>).
    /// </summary>
    public async Task<OperationResult<InviteOutcome>> InviteAsync(Actor actor, Guid workspaceId, InviteRequest request,
        string? requestBaseUri = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim() ?? "";
        if (!IsEmailAddress(email)) errors["email"] = ["Enter an e-mail address, e.g. name@example.com."];
        if (request.Role is null || !Roles.All.Contains(request.Role)) errors["role"] = ["Role must be owner, admin or member."];

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageMembers, ct);
        if (!access.Succeeded) return access.As<InviteOutcome>();
        if (errors.Count > 0) return OperationResult<InviteOutcome>.Invalid(errors);
        var role = request.Role!;
        if (Permissions.Invite(access.Value, role) is { } refusal) return OperationResult<InviteOutcome>.Forbidden(refusal);

        var now = clock.GetUtcNow();
        var normalizedEmail = NormalizeEmail(email);
        // The inviter sees the members already, so saying this one is among them reveals nothing.
        if (await db.Memberships.AnyAsync(m => m.WorkspaceId == workspaceId && m.User.NormalizedEmail == normalizedEmail, ct))
            return OperationResult<InviteOutcome>.Conflict($"{email} is already a member of this workspace.");

        var replaced = await db.Invitations.Where(i => i.WorkspaceId == workspaceId && i.NormalizedEmail == normalizedEmail).ToListAsync(ct);
        db.Invitations.RemoveRange(replaced);
        var token = InvitationToken.New();
        var invitation = new Invitation
        {
            WorkspaceId = workspaceId,
            Email = email,
            NormalizedEmail = normalizedEmail,
            Role = role,
            TokenHash = InvitationToken.Hash(token)!,
            InvitedByUserId = actor.UserId,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        AuditTrail.Add(db, actor, workspaceId, AuditActions.MemberInvited, now, "invitation", invitation.Id.ToString(), email,
            new { role, expiresAt = invitation.ExpiresAt, replacesPendingInvitation = replaced.Count > 0 });
        if (!await db.TrySaveChangesAsync<DbUpdateException>(ct))
            return OperationResult<InviteOutcome>.Conflict($"{email} was invited by someone else at the same moment. Reload the list.");
        var link = links.To(AcceptInvitation.PathFor(token), requestBaseUri);
        var workspaceName = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(CancellationToken.None);
        var emailed = link is not null && mail.Send(email, EmailTemplates.Invitation(workspaceName, actor.Name, role, link, invitation.ExpiresAt));
        return OperationResult<InviteOutcome>.Ok(new InviteOutcome(
            new InvitationSummary(invitation.Id, email, role, actor.Name, invitation.ExpiresAt, Expired: false), token, emailed));
    }

    /// <summary>Owners only, who confirm it's them first (see <see cref="Reauthentication"/>). The last owner cannot be demoted.</summary>
    public async Task<OperationResult<MemberSummary>> ChangeRoleAsync(Actor actor, Guid workspaceId, string userId, string? role, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Serialises the owner count with the change: two owners demoting each other at once must not leave none.
        await using var transaction = await db.BeginWorkspaceTransactionAsync(workspaceId, ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ChangeRoles, ct);
        if (!access.Succeeded) return access.As<MemberSummary>();
        if (role is null || !Roles.All.Contains(role)) return OperationResult<MemberSummary>.Invalid("role", "Role must be owner, admin or member.");
        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct);
        if (membership is null) return OperationResult<MemberSummary>.NotFound(NoSuchMember);
        if (membership.Role == role) return OperationResult<MemberSummary>.Ok(Summary(membership));
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(db, workspaceId, ct))
            return OperationResult<MemberSummary>.Conflict(Permissions.LastOwnerRefusal);
        var now = clock.GetUtcNow();
        if (await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct)) return OperationResult<MemberSummary>.ReauthenticationRequired();

        AuditTrail.Add(db, actor, workspaceId, AuditActions.MemberRoleChanged, now, "member", membership.UserId, membership.User.Email,
            new { oldRole = membership.Role, role });
        membership.Role = role;
        await db.SaveChangesAsync(ct);
        var revision = await changes.StageAsync(db, [workspaceId], ct);
        await transaction.CommitAsync(ct);
        await changes.PublishAsync([workspaceId], revision);
        return OperationResult<MemberSummary>.Ok(Summary(membership));
    }

    /// <summary>Owners remove anyone, admins remove members, anyone may leave; never the last owner.</summary>
    public async Task<OperationResult<MemberSummary>> RemoveAsync(Actor actor, Guid workspaceId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWorkspaceTransactionAsync(workspaceId, ct);
        var leaving = userId == actor.UserId;
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, leaving ? Permission.SeeWorkspace : Permission.ManageMembers, ct);
        if (!access.Succeeded) return access.As<MemberSummary>();
        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct);
        if (membership is null) return OperationResult<MemberSummary>.NotFound(NoSuchMember);
        if (Permissions.Remove(access.Value, membership.Role, leaving) is { } refusal)
            return OperationResult<MemberSummary>.Forbidden(refusal);
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(db, workspaceId, ct))
            return OperationResult<MemberSummary>.Conflict(Permissions.LastOwnerRefusal);

        var now = clock.GetUtcNow();
        db.Memberships.Remove(membership);
        AuditTrail.Add(db, actor, workspaceId, AuditActions.MemberRemoved, now, "member", membership.UserId, membership.User.Email,
            new { role = membership.Role, left = leaving });
        await db.SaveChangesAsync(ct);
        var revision = await changes.StageAsync(db, [workspaceId], ct);
        await transaction.CommitAsync(ct);
        await changes.PublishAsync([workspaceId], revision);
        return OperationResult<MemberSummary>.Ok(Summary(membership));
    }

    /// <summary>Withdraws a pending invitation: its link stops working. Admins may cancel invitations of members only.</summary>
    public async Task<OperationResult<InvitationSummary>> CancelInvitationAsync(Actor actor, Guid workspaceId, Guid invitationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageMembers, ct);
        if (!access.Succeeded) return access.As<InvitationSummary>();
        var invitation = await db.Invitations.Include(i => i.InvitedBy).SingleOrDefaultAsync(i => i.Id == invitationId && i.WorkspaceId == workspaceId, ct);
        if (invitation is null) return OperationResult<InvitationSummary>.NotFound("No such invitation in this workspace.");
        if (Permissions.Invite(access.Value, invitation.Role) is { } refusal) return OperationResult<InvitationSummary>.Forbidden(refusal);

        var now = clock.GetUtcNow();
        db.Invitations.Remove(invitation);
        AuditTrail.Add(db, actor, workspaceId, AuditActions.InvitationCancelled, now, "invitation", invitation.Id.ToString(), invitation.Email,
            new { role = invitation.Role });
        if (!await db.TrySaveChangesAsync<DbUpdateException>(ct)) return OperationResult<InvitationSummary>.NotFound("The invitation was accepted or cancelled meanwhile.");
        return OperationResult<InvitationSummary>.Ok(new InvitationSummary(invitation.Id, invitation.Email, invitation.Role,
            invitation.InvitedBy.Email ?? invitation.InvitedByUserId, invitation.ExpiresAt, invitation.ExpiresAt <= now));
    }

    /// <summary>The invitation a token belongs to, if it can still be answered.</summary>
    public async Task<OperationResult<InvitationPreview>> PreviewInvitationAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invitation = await FindByTokenAsync(db, token, ct);
        if (Unusable<InvitationPreview>(invitation, InvalidLink) is { } refusal) return refusal;
        var accountExists = await db.Users.AnyAsync(u => u.NormalizedEmail == invitation!.NormalizedEmail, ct);
        return OperationResult<InvitationPreview>.Ok(new InvitationPreview(invitation!.Workspace.Name, invitation.Email, invitation.Role, invitation.ExpiresAt, accountExists));
    }

    /// <summary>
    /// The open invitations for the signed-in user's address, which the dashboard offers without the link. Only for
    /// a confirmed address: accounts work unconfirmed here, so anyone can register an address that is not theirs.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedInvitation>> ReceivedInvitationsAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await ReceivedBy(db, actor.UserId).Where(i => i.ExpiresAt > now).OrderBy(i => i.CreatedAt)
            .Select(i => new ReceivedInvitation(i.Id, i.WorkspaceId, i.Workspace.Name, i.Role, i.InvitedBy.Email ?? i.InvitedByUserId, i.ExpiresAt))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Accepts through the link: the signed-in <paramref name="actor"/> must be the invited address's account. See
    /// <see cref="AcceptInvitationAsync(Actor, Guid, CancellationToken)"/> for what accepting does.
    /// </summary>
    public Task<OperationResult<AnsweredInvitation>> AcceptInvitationAsync(Actor actor, string? token, CancellationToken ct = default) =>
        AnswerAsync(actor, db => FindByTokenAsync(db, token, ct), InvalidLink, accept: true, ct);

    /// <summary>
    /// Accepts one of <see cref="ReceivedInvitationsAsync"/>: the actor becomes a member with the invited role, in that
    /// workspace from now on. The invitation is deleted in the same transaction, so it is answered once: of any number
    /// of accepts at once, one succeeds and the others get a conflict.
    /// </summary>
    public Task<OperationResult<AnsweredInvitation>> AcceptInvitationAsync(Actor actor, Guid invitationId, CancellationToken ct = default) =>
        AnswerAsync(actor, db => FindReceivedAsync(db, actor, invitationId, ct), NotOpen, accept: true, ct);

    /// <summary>Declines through the link, as the invited address's account: the invitation is deleted, and audited as declined.</summary>
    public Task<OperationResult<AnsweredInvitation>> DeclineInvitationAsync(Actor actor, string? token, CancellationToken ct = default) =>
        AnswerAsync(actor, db => FindByTokenAsync(db, token, ct), InvalidLink, accept: false, ct);

    /// <summary>Declines one of <see cref="ReceivedInvitationsAsync"/>: the invitation is deleted, its link stops working.</summary>
    public Task<OperationResult<AnsweredInvitation>> DeclineInvitationAsync(Actor actor, Guid invitationId, CancellationToken ct = default) =>
        AnswerAsync(actor, db => FindReceivedAsync(db, actor, invitationId, ct), NotOpen, accept: false, ct);

    private async Task<OperationResult<AnsweredInvitation>> AnswerAsync(Actor actor, Func<AppDbContext, Task<Invitation?>> find,
        string notFound, bool accept, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invitation = await find(db);
        if (Unusable<AnsweredInvitation>(invitation, notFound) is { } refusal) return refusal;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == actor.UserId, ct);
        // The link is bound to the address it was sent to, whoever holds it.
        if (user is null || user.NormalizedEmail != invitation!.NormalizedEmail)
            return OperationResult<AnsweredInvitation>.Forbidden($"This invitation is for {invitation!.Email}. Log in with that address to answer it.");

        var now = clock.GetUtcNow();
        var answer = new AnsweredInvitation(invitation.WorkspaceId, invitation.Workspace.Name, invitation.Role);
        db.Invitations.Remove(invitation);
        if (!accept)
            AuditTrail.Add(db, actor, invitation.WorkspaceId, AuditActions.InvitationDeclined, now, "invitation", invitation.Id.ToString(), invitation.Email,
                new { role = invitation.Role, invitedBy = invitation.InvitedByUserId });
        else
        {
            if (await WorkspaceAccess.RoleAsync(db, invitation.WorkspaceId, user.Id, ct) is { } existingRole)
                answer = answer with { Role = existingRole };
            else
                db.Memberships.Add(new Membership { WorkspaceId = invitation.WorkspaceId, UserId = user.Id, Role = invitation.Role, JoinedAt = now });
            user.CurrentWorkspaceId = invitation.WorkspaceId;
            AuditTrail.Add(db, actor, invitation.WorkspaceId, AuditActions.InvitationAccepted, now, "member", user.Id, user.Email,
                new { role = answer.Role, invitedBy = invitation.InvitedByUserId });
        }
        // Whoever answered first deleted the row: this delete affects nothing (or the membership exists already) and
        // the whole change is refused.
        if (await db.TrySaveChangesAsync<DbUpdateException>(ct)) return OperationResult<AnsweredInvitation>.Ok(answer);
        db.ChangeTracker.Clear();
        return await WorkspaceAccess.RoleAsync(db, invitation.WorkspaceId, user.Id, ct) is not null
            ? OperationResult<AnsweredInvitation>.Conflict($"This invitation was accepted already: you are a member of {answer.WorkspaceName}.")
            : OperationResult<AnsweredInvitation>.Conflict("This invitation was answered or cancelled meanwhile.");
    }

    private static async Task<Invitation?> FindByTokenAsync(AppDbContext db, string? token, CancellationToken ct)
    {
        var hash = InvitationToken.Hash(token);
        if (hash is null) return null;
        var invitation = await db.Invitations.Include(i => i.Workspace).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        // The index found the row; compare the whole hash without a timing signal, as for API keys.
        return invitation is not null && CryptographicOperations.FixedTimeEquals(invitation.TokenHash, hash) ? invitation : null;
    }

    // Without the link, an invitation exists for the user only if it is for their own confirmed address: any other id,
    // guessed or seen on a members page, is not found.
    private static Task<Invitation?> FindReceivedAsync(AppDbContext db, Actor actor, Guid invitationId, CancellationToken ct) =>
        ReceivedBy(db, actor.UserId).Include(i => i.Workspace).SingleOrDefaultAsync(i => i.Id == invitationId, ct);

    private static IQueryable<Invitation> ReceivedBy(AppDbContext db, string userId) =>
        db.Invitations.Where(i => db.Users.Any(u => u.Id == userId && u.EmailConfirmed && u.NormalizedEmail == i.NormalizedEmail));

    private OperationResult<T>? Unusable<T>(Invitation? invitation, string notFound) =>
        invitation is null ? OperationResult<T>.NotFound(notFound)
        : invitation.ExpiresAt <= clock.GetUtcNow() ? OperationResult<T>.Invalid("token", $"This invitation expired on {invitation.ExpiresAt:yyyy-MM-dd}. Ask for a new one.")
        : null;

    private static async Task<bool> IsLastOwnerAsync(AppDbContext db, Guid workspaceId, CancellationToken ct) =>
        await db.Memberships.CountAsync(m => m.WorkspaceId == workspaceId && m.Role == Roles.Owner, ct) <= 1;

    private static IQueryable<MemberSummary> Members(AppDbContext db, Guid workspaceId) =>
        db.Memberships.Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.User.Email)
            .Select(m => new MemberSummary(m.UserId, m.User.Email ?? m.User.UserName ?? m.UserId, m.Role, m.JoinedAt));

    private static MemberSummary Summary(Membership m) => new(m.UserId, m.User.Email ?? m.User.UserName ?? m.UserId, m.Role, m.JoinedAt);

    private static bool IsEmailAddress(string email) =>
        email.Length <= EmailMaxLength && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;

    // As Identity's UpperInvariantLookupNormalizer does, so the address matches the account's NormalizedEmail.
    private static string NormalizeEmail(string email) => email.Normalize().ToUpperInvariant();
}
