using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Workspaces;

public enum WorkspacePlan { Free, Paid }

public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public WorkspacePlan Plan { get; set; } = WorkspacePlan.Free;

    /// <summary>Lifetime given to a new key when its creator picks no expiry.</summary>
    public int DefaultKeyLifetimeDays { get; set; } = 365;

    /// <summary>Longest lifetime a new key may have; null means no limit.</summary>
    public int? MaxKeyLifetimeDays { get; set; } = 365;

    public bool AllowNeverExpiringKeys { get; set; }

    /// <summary>
    /// "Require two-factor authentication for owners and admins": while on, an owner or admin without it sees the
    /// workspace but manages nothing in it (see <see cref="Permissions.RefusalFor"/>).
    /// </summary>
    public bool RequireTwoFactorForManagers { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool AllowsLiveKeys => Plan == WorkspacePlan.Paid;
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(DisplayNames.MaxLength);
        builder.Property(w => w.Plan).HasConversion<string>().HasMaxLength(16);
    }
}
