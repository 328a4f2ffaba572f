using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Sessions;

/// <summary>
/// A sign-in session: what the sign-in cookie stands for. The cookie holds only the session's key; the ticket (the
/// user's claims) stays here, so deleting the row ends the session on every app instance at once.
/// </summary>
public sealed class UserSession
{
    /// <summary>Public id: shown on the sessions page, carried in the principal as <see cref="SessionClaims.SessionId"/>.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>SHA-256 of the key the cookie carries, so a copy of the database holds no usable session.</summary>
    public required byte[] KeyHash { get; set; }

    public required string UserId { get; set; }
    public ApplicationUser User { get; set; } = null!;

    /// <summary>The serialized authentication ticket.</summary>
    public required byte[] Ticket { get; set; }

    public DateTimeOffset SignedInAt { get; set; }

    /// <summary>
    /// When the user last proved who they are in this session: at sign-in, and again when they re-authenticate
    /// before a dangerous action. The server reads this, never the dialog.
    /// </summary>
    public DateTimeOffset AuthenticatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    public string? UserAgent { get; set; }
    public string? ClientAddress { get; set; }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public const int UserAgentLength = 512;
    public const int ClientAddressLength = 64;

    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.HasIndex(s => s.KeyHash).IsUnique();
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => s.ExpiresAt);
        builder.Property(s => s.UserAgent).HasMaxLength(UserAgentLength);
        builder.Property(s => s.ClientAddress).HasMaxLength(ClientAddressLength);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
