namespace KeyDashboard.Members;

public sealed record MemberSummary(string UserId, string Email, string Role, DateTimeOffset JoinedAt);

public sealed record InvitationSummary(Guid Id, string Email, string Role, string InvitedBy, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>The workspace's members and its pending invitations.</summary>
public sealed record MemberList(IReadOnlyList<MemberSummary> Members, IReadOnlyList<InvitationSummary> Invitations);

public sealed record InviteRequest(string? Email, string? Role);

/// <summary>
/// What an invitation did: an existing account became a member at once (<see cref="Added"/>), or an invitation
/// was created and its token, returned this once and never stored, must reach the invitee.
/// </summary>
public sealed record InviteOutcome(MemberSummary? Added, InvitationSummary? Invitation, string? Token);

/// <summary>What the invitation page shows before the invitee accepts.</summary>
public sealed record InvitationPreview(string WorkspaceName, string Email, string Role, DateTimeOffset ExpiresAt, bool AccountExists);

/// <summary>Where an accepted invitation led.</summary>
public sealed record AcceptedInvitation(Guid WorkspaceId, string WorkspaceName, string Role);
