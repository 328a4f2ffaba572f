using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Members;

/// <summary>
/// A pending invitation of an e-mail address into a workspace, whether or not the address has an account: nobody
/// joins until they accept. Only a hash of its token is stored: the link is shown to the inviter once. Accepting,
/// declining or cancelling it deletes the row, so it is answered once and its link stops working.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WorkspaceId { get; set; }
    public Workspace Workspace { get; set; } = null!;
    public required string Email { get; set; }
    /// <summary>Upper-case, as Identity normalises e-mail addresses, so one address has one pending invitation.</summary>
    public required string NormalizedEmail { get; set; }
    public required string Role { get; set; }
    /// <summary>SHA-256 of the token.</summary>
    public required byte[] TokenHash { get; set; }
    public required string InvitedByUserId { get; set; }
    public ApplicationUser InvitedBy { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.NormalizedEmail).HasMaxLength(256);
        builder.Property(i => i.Role).HasMaxLength(16);
        builder.Property(i => i.TokenHash).HasMaxLength(32);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.WorkspaceId, i.NormalizedEmail }).IsUnique();
        builder.HasOne(i => i.Workspace).WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(i => i.InvitedBy).WithMany().HasForeignKey(i => i.InvitedByUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
