using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Cluster;

/// <summary>
/// A running app instance on PostgreSQL, as its change listener keeps it: alive while <see cref="LeaseUntil"/> (the
/// database's clock) lies ahead, having dropped from its caches every change up to <see cref="AcknowledgedRevision"/>.
/// </summary>
public sealed class AppInstance
{
    public const int NameLength = 200;
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LeaseUntil { get; set; }
    public long AcknowledgedRevision { get; set; }
}

internal sealed class AppInstanceConfiguration : IEntityTypeConfiguration<AppInstance>
{
    public void Configure(EntityTypeBuilder<AppInstance> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Name).HasMaxLength(AppInstance.NameLength);
    }
}
