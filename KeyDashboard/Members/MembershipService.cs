using System.Net.Mail;
using System.Security.Cryptography;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Members;

/// <summary>
/// A workspace's members: invite, change roles, remove, and accept invitations. Every call checks the actor's
/// role in the database (see <see cref="Permissions"/>; anyone outside the workspace gets "not found"),
/// writes its audit entry in the same transaction as the change, and announces removals and role changes on
/// <see cref="WorkspaceChanges"/> once committed, so the member's keys and open sessions lose the power at once.
/// </summary>
public sealed class MembershipService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WorkspaceChanges changes)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const int EmailMaxLength = 256;
    private const string NoSuchMember = "No such member in this workspace.";
    private const string InvalidInvitation = "This invitation link is not valid. It may have been used already or cancelled: ask for a new one.";

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
    /// Adds the account with that e-mail address at once; without an account, creates an invitation (replacing a
    /// pending one for the same address) and returns its token, which is not stored and cannot be shown again.
    /// </summary>
    public async Task<OperationResult<InviteOutcome>> InviteAsync(Actor actor, Guid workspaceId, InviteRequest request, CancellationToken ct = default)
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
        var user = await db.Users.Where(u => u.NormalizedEmail == normalizedEmail).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(ct);
        if (user is not null && await WorkspaceAccess.RoleAsync(db, workspaceId, user.Id, ct) is not null)
            return OperationResult<InviteOutcome>.Conflict($"{user.Email} is already a member of this workspace.");

        var replaced = await db.Invitations.Where(i => i.WorkspaceId == workspaceId && i.NormalizedEmail == normalizedEmail).ToListAsync(ct);
        db.Invitations.RemoveRange(replaced);
        if (user is not null)
        {
            db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, Role = role, JoinedAt = now });
            AuditTrail.Add(db, actor, workspaceId, AuditActions.MemberAdded, now, "member", user.Id, user.Email, new { role });
            if (!await db.TrySaveChangesAsync<DbUpdateException>(ct))
                return OperationResult<InviteOutcome>.Conflict($"{user.Email} is already a member of this workspace.");
            return OperationResult<InviteOutcome>.Ok(new InviteOutcome(new MemberSummary(user.Id, user.Email ?? email, role, now), null, null));
        }

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
        return OperationResult<InviteOutcome>.Ok(new InviteOutcome(null,
            new InvitationSummary(invitation.Id, email, role, actor.Name, invitation.ExpiresAt, Expired: false), token));
    }

    /// <summary>Owners only. The last owner cannot be demoted.</summary>
    public async Task<OperationResult<MemberSummary>> ChangeRoleAsync(Actor actor, Guid workspaceId, string userId, string? role, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Serialises the owner count with the change: two owners demoting each other at once must not leave none.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ChangeRoles, ct);
        if (!access.Succeeded) return access.As<MemberSummary>();
        if (role is null || !Roles.All.Contains(role)) return OperationResult<MemberSummary>.Invalid("role", "Role must be owner, admin or member.");
        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct);
        if (membership is null) return OperationResult<MemberSummary>.NotFound(NoSuchMember);
        if (membership.Role == role) return OperationResult<MemberSummary>.Ok(Summary(membership));
        if (membership.Role == Roles.Owner && await IsLastOwnerAsync(db, workspaceId, ct))
            return OperationResult<MemberSummary>.Conflict(Permissions.LastOwnerRefusal);

        var now = clock.GetUtcNow();
        AuditTrail.Add(db, actor, workspaceId, AuditActions.MemberRoleChanged, now, "member", membership.UserId, membership.User.Email,
            new { oldRole = membership.Role, role });
        membership.Role = role;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        changes.Publish(workspaceId);
        return OperationResult<MemberSummary>.Ok(Summary(membership));
    }

    /// <summary>Owners remove anyone, admins remove members, anyone may leave; never the last owner.</summary>
    public async Task<OperationResult<MemberSummary>> RemoveAsync(Actor actor, Guid workspaceId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
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
        await transaction.CommitAsync(ct);
        changes.Publish(workspaceId);
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

    /// <summary>The invitation a token belongs to, if it can still be accepted; null otherwise.</summary>
    public async Task<OperationResult<InvitationPreview>> PreviewInvitationAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (invitation, refusal) = await FindUsableAsync(db, token, ct);
        if (invitation is null) return refusal!;
        var accountExists = await db.Users.AnyAsync(u => u.NormalizedEmail == invitation.NormalizedEmail, ct);
        return OperationResult<InvitationPreview>.Ok(new InvitationPreview(invitation.Workspace.Name, invitation.Email, invitation.Role, invitation.ExpiresAt, accountExists));
    }

    /// <summary>
    /// Makes the signed-in <paramref name="actor"/> a member with the invited role and their current workspace. The
    /// invitation is deleted in the same transaction, so its token works once; it must be the invited address's account.
    /// </summary>
    public async Task<OperationResult<AcceptedInvitation>> AcceptInvitationAsync(Actor actor, string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (invitation, refusal) = await FindUsableAsync(db, token, ct);
        if (invitation is null) return Refusal<AcceptedInvitation>(refusal!);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == actor.UserId, ct);
        if (user is null || user.NormalizedEmail != invitation.NormalizedEmail)
            return OperationResult<AcceptedInvitation>.Forbidden($"This invitation is for {invitation.Email}. Log in with that address to accept it.");

        var now = clock.GetUtcNow();
        var accepted = new AcceptedInvitation(invitation.WorkspaceId, invitation.Workspace.Name, invitation.Role);
        db.Invitations.Remove(invitation);
        if (await WorkspaceAccess.RoleAsync(db, invitation.WorkspaceId, user.Id, ct) is { } existingRole)
            accepted = accepted with { Role = existingRole };
        else
            db.Memberships.Add(new Membership { WorkspaceId = invitation.WorkspaceId, UserId = user.Id, Role = invitation.Role, JoinedAt = now });
        user.CurrentWorkspaceId = invitation.WorkspaceId;
        AuditTrail.Add(db, actor, invitation.WorkspaceId, AuditActions.InvitationAccepted, now, "member", user.Id, user.Email,
            new { role = accepted.Role, invitedBy = invitation.InvitedByUserId });
        // A second use of the same token finds the row gone: the delete affects nothing and the whole change is refused.
        if (!await db.TrySaveChangesAsync<DbUpdateException>(ct)) return OperationResult<AcceptedInvitation>.NotFound(InvalidInvitation);
        return OperationResult<AcceptedInvitation>.Ok(accepted);
    }

    private async Task<(Invitation? Invitation, OperationResult<InvitationPreview>? Refusal)> FindUsableAsync(AppDbContext db, string? token, CancellationToken ct)
    {
        var hash = InvitationToken.Hash(token);
        if (hash is null) return (null, OperationResult<InvitationPreview>.NotFound(InvalidInvitation));
        var invitation = await db.Invitations.Include(i => i.Workspace).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        // The index found the row; compare the whole hash without a timing signal, as for API keys.
        if (invitation is null || !CryptographicOperations.FixedTimeEquals(invitation.TokenHash, hash))
            return (null, OperationResult<InvitationPreview>.NotFound(InvalidInvitation));
        if (invitation.ExpiresAt <= clock.GetUtcNow())
            return (null, OperationResult<InvitationPreview>.Invalid("token", $"This invitation expired on {invitation.ExpiresAt:yyyy-MM-dd}. Ask for a new one."));
        return (invitation, null);
    }

    private static OperationResult<T> Refusal<T>(OperationResult<InvitationPreview> refusal) => refusal.Status == OperationStatus.Invalid
        ? OperationResult<T>.Invalid(refusal.Errors)
        : OperationResult<T>.NotFound(refusal.Message!);

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
