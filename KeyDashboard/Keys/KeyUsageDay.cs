using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Keys;

/// <summary>Requests made with one key on one UTC day, for the usage charts.</summary>
public sealed class KeyUsageDay
{
    public required string ApiKeyId { get; set; }
    public DateOnly Day { get; set; }
    public long Count { get; set; }
}

internal sealed class KeyUsageDayConfiguration : IEntityTypeConfiguration<KeyUsageDay>
{
    public void Configure(EntityTypeBuilder<KeyUsageDay> builder)
    {
        builder.HasKey(u => new { u.ApiKeyId, u.Day });
        builder.Property(u => u.ApiKeyId).HasMaxLength(32);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(u => u.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
