using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Keys;

/// <summary>An API key. Holds its secret's hash, never the secret.</summary>
public sealed class ApiKey
{
    /// <summary>Public id, e.g. <c>key_…</c>: safe to show, log and put in URLs.</summary>
    public required string Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Workspace Workspace { get; set; } = null!;
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The member the key acts as.</summary>
    public required string OwnerUserId { get; set; }
    public ApplicationUser Owner { get; set; } = null!;

    public KeyEnvironment Environment { get; set; }
    public List<string> Scopes { get; set; } = [];

    /// <summary>e.g. <c>kd_live_AbC4</c>.</summary>
    public required string DisplayPrefix { get; set; }
    public required byte[] SecretHash { get; set; }

    public required string CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Null when the key never expires (only where the workspace policy allows it).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedByUserId { get; set; }
    public string? RevokedReason { get; set; }

    public long UsageCount { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string? LastUsedFrom { get; set; }

    public DateTimeOffset? RotatedAt { get; set; }
    /// <summary>Hash of the secret replaced by the last rotation, accepted until <see cref="PreviousSecretValidUntil"/>.</summary>
    public byte[]? PreviousSecretHash { get; set; }
    public DateTimeOffset? PreviousSecretValidUntil { get; set; }
    public DateTimeOffset? PreviousSecretLastUsedAt { get; set; }

    /// <summary>Changes on every write, so two concurrent rotations or revocations cannot both succeed.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    /// <summary>Permanent, and ends any rotation's grace period: neither secret works any more.</summary>
    /// <param name="byUserId">Null when no person revoked it (a leak report).</param>
    public void Revoke(string? byUserId, string? reason, DateTimeOffset at)
    {
        RevokedAt = at;
        RevokedByUserId = byUserId;
        RevokedReason = string.IsNullOrEmpty(reason) ? null : reason;
        PreviousSecretHash = null;
        PreviousSecretValidUntil = null;
        ConcurrencyStamp = Guid.NewGuid();
    }

    public KeyStatus StatusAt(DateTimeOffset now) => KeyStatuses.Of(this, now);
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Id).HasMaxLength(32);
        builder.Property(k => k.Name).HasMaxLength(DisplayNames.MaxLength);
        builder.Property(k => k.Description).HasMaxLength(ApiKeyRules.DescriptionMaxLength);
        builder.Property(k => k.Environment).HasConversion<string>().HasMaxLength(8);
        builder.Property(k => k.DisplayPrefix).HasMaxLength(32);
        builder.Property(k => k.SecretHash).HasMaxLength(ApiKeyHasher.HashLength);
        builder.Property(k => k.PreviousSecretHash).HasMaxLength(ApiKeyHasher.HashLength);
        builder.Property(k => k.RevokedReason).HasMaxLength(ApiKeyRules.ReasonMaxLength);
        builder.Property(k => k.LastUsedFrom).HasMaxLength(64);
        builder.Property(k => k.ConcurrencyStamp).IsConcurrencyToken();

        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.HasIndex(k => k.PreviousSecretHash);
        // What the key list filters and sorts on, always within one workspace. The id ends each sort index
        // because it is the list's tie-breaker: SQLite then pages in index order without sorting.
        builder.HasIndex(k => new { k.WorkspaceId, k.Name, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.CreatedAt, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.ExpiresAt, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.LastUsedAt, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.UsageCount, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.DisplayPrefix, k.Id });
        builder.HasIndex(k => new { k.WorkspaceId, k.RevokedAt });
        builder.HasIndex(k => new { k.WorkspaceId, k.OwnerUserId });

        builder.HasOne(k => k.Workspace).WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(k => k.Owner).WithMany().HasForeignKey(k => k.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
