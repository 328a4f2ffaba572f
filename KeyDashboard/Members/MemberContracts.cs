namespace KeyDashboard.Members;

public sealed record MemberSummary(string UserId, string Email, string Role, DateTimeOffset JoinedAt);

public sealed record InvitationSummary(Guid Id, string Email, string Role, string InvitedBy, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>The workspace's members and its pending invitations.</summary>
public sealed record MemberList(IReadOnlyList<MemberSummary> Members, IReadOnlyList<InvitationSummary> Invitations);

public sealed record InviteRequest(string? Email, string? Role);

/// <summary>
/// The pending invitation, the same whether or not the address has an account, and its token: returned this once and
/// never stored, it must reach the invitee; and whether it was e-mailed to them (<see cref="Email.MailQueue.CanSend"/>).
/// </summary>
public sealed record InviteOutcome(InvitationSummary Invitation, string Token, bool Emailed = false);

/// <summary>What the invitation page shows before the invitee accepts.</summary>
public sealed record InvitationPreview(string WorkspaceName, string Email, string Role, DateTimeOffset ExpiresAt, bool AccountExists);

/// <summary>An open invitation for the signed-in user's address, as the dashboard offers it to them.</summary>
public sealed record ReceivedInvitation(Guid Id, Guid WorkspaceId, string WorkspaceName, string Role, string InvitedBy, DateTimeOffset ExpiresAt);

/// <summary>The workspace an accepted or declined invitation was for; after accepting, the role the user holds there.</summary>
public sealed record AnsweredInvitation(Guid WorkspaceId, string WorkspaceName, string Role);
