using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Keys;

/// <summary>
/// The generated key pepper on PostgreSQL, encrypted with Data Protection (whose keys are in the database too), so
/// every instance hashes keys alike. The first instance to start stores it; the others read that one.
/// </summary>
public sealed class StoredPepper
{
    public const int SingleId = 1;
    public int Id { get; set; }
    public required byte[] Protected { get; set; }
}

internal sealed class StoredPepperConfiguration : IEntityTypeConfiguration<StoredPepper>
{
    public void Configure(EntityTypeBuilder<StoredPepper> builder) => builder.Property(p => p.Id).ValueGeneratedNever();
}
