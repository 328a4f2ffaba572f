using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Audit;

public enum AuditActorType { User, Key, System }

/// <summary>One thing that happened. Append-only: no code path updates or deletes an entry. Never holds a secret or a hash.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? WorkspaceId { get; set; }
    public AuditActorType ActorType { get; set; }
    /// <summary>User id or key id.</summary>
    public string? ActorId { get; set; }
    /// <summary>What a person reads: an e-mail address, or a key's name and prefix.</summary>
    public string? ActorName { get; set; }
    /// <summary>e.g. <c>key.created</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? TargetName { get; set; }
    public string? Details { get; set; }
    public string? ClientAddress { get; set; }
}

public static class AuditActions
{
    public const string KeyCreated = "key.created";
    public const string KeyRotated = "key.rotated";
    public const string KeyRevoked = "key.revoked";
    public const string KeyEdited = "key.edited";
    /// <summary>A leaked-key lookup: whether it matched, and which key when it did. Never the string looked up.</summary>
    public const string KeyLookup = "key.lookup";
    /// <summary>Someone presented a revoked key to the API: the integration still has it, or it leaked.</summary>
    public const string RevokedKeyUsed = "key.revoked_key_used";
    /// <summary>Someone reported the key's secret to <c>POST /api/v1/leaks</c> and it was revoked; the reporter's address, never the secret.</summary>
    public const string KeyReportedLeaked = "key.reported_leaked";
    /// <summary>An owner or admin dismissed the dashboard's banner about keys reported as leaked.</summary>
    public const string LeakReportsSeen = "key.leak_reports_seen";

    public const string SignedIn = "auth.signed_in";
    public const string SignInFailed = "auth.sign_in_failed";
    /// <summary>A sign-in refused before its password or code was checked: its address or the account's wait was over a limit.</summary>
    public const string SignInThrottled = "auth.sign_in_throttled";
    public const string LockedOut = "auth.locked_out";
    public const string SignedOut = "auth.signed_out";
    /// <summary>The server's operator printed a password reset link for the account (<c>reset-password</c>); never the link.</summary>
    public const string PasswordResetLinkIssued = "auth.password_reset_link_issued";
    /// <summary>Someone confirmed it's them (password or authenticator code) before a dangerous action; see <c>Sessions/Reauthentication</c>.</summary>
    public const string Reauthenticated = "auth.reauthenticated";
    public const string ReauthenticationFailed = "auth.reauthentication_failed";
    /// <summary>A sign-in session was ended from the sessions page, or by a password change or reset; details say why.</summary>
    public const string SessionEnded = "session.ended";

    /// <summary>What "Hide sign-ins" leaves out of the log: signing in and out, failed and refused attempts, confirmations.</summary>
    public static readonly IReadOnlyList<string> SignInActivity =
        [SignedIn, SignInFailed, SignInThrottled, LockedOut, SignedOut, Reauthenticated, ReauthenticationFailed, SessionEnded];

    public const string AuditExported = "audit.exported";

    public const string MemberInvited = "member.invited";
    /// <summary>Written before invitations waited for the invitee's answer; kept so the log's filter finds old entries.</summary>
    public const string MemberAdded = "member.added";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string InvitationCancelled = "invitation.cancelled";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationDeclined = "invitation.declined";
    public const string WorkspaceCreated = "workspace.created";
    public const string WorkspaceRenamed = "workspace.renamed";
    public const string WorkspacePlanChanged = "workspace.plan_changed";
    public const string WorkspacePolicyChanged = "workspace.policy_changed";
    public const string WorkspaceTwoFactorRequirementChanged = "workspace.two_factor_requirement_changed";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.ActorType).HasConversion<string>().HasMaxLength(8);
        builder.Property(a => a.ActorId).HasMaxLength(64);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(32);
        builder.Property(a => a.TargetId).HasMaxLength(64);
        builder.Property(a => a.TargetName).HasMaxLength(256);
        builder.Property(a => a.Details).HasMaxLength(2000);
        builder.Property(a => a.ClientAddress).HasMaxLength(64);
        builder.HasIndex(a => new { a.WorkspaceId, a.At });
        builder.HasIndex(a => new { a.WorkspaceId, a.TargetId });
        builder.HasIndex(a => new { a.WorkspaceId, a.ActorId });
    }
}
