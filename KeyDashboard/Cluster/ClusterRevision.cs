using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Cluster;

/// <summary>
/// The one row counting the changes that may narrow a key (see <see cref="Workspaces.WorkspaceChanges"/>). A change
/// increments it inside its own transaction, which holds the row's lock until it commits: so revisions are handed out
/// in commit order, the order in which PostgreSQL delivers their notifications, and an instance that has handled
/// revision n has handled every earlier one. (A sequence would hand them out in start order instead.)
/// </summary>
public sealed class ClusterRevision
{
    public const int SingleId = 1;
    public int Id { get; set; }
    public long Value { get; set; }
}

internal sealed class ClusterRevisionConfiguration : IEntityTypeConfiguration<ClusterRevision>
{
    public void Configure(EntityTypeBuilder<ClusterRevision> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasData(new ClusterRevision { Id = ClusterRevision.SingleId, Value = 0 });
    }
}
