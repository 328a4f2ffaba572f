using KeyDashboard.Data;
using KeyDashboard.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyDashboard.Email;

/// <summary>
/// That one recipient was told a key expires within <see cref="DaysBefore"/> days. Its unique index is what makes the
/// digest send each key once per threshold and recipient, across restarts and several instances: whoever inserts the
/// row sends the e-mail.
/// </summary>
public sealed class ExpiryNotice
{
    public long Id { get; set; }
    public required string KeyId { get; set; }
    public ApiKey Key { get; set; } = null!;
    /// <summary>The threshold: one of <see cref="ExpiryDigest.Thresholds"/>.</summary>
    public int DaysBefore { get; set; }
    public required string RecipientUserId { get; set; }
    public ApplicationUser Recipient { get; set; } = null!;
    public DateTimeOffset SentAt { get; set; }
}

internal sealed class ExpiryNoticeConfiguration : IEntityTypeConfiguration<ExpiryNotice>
{
    public void Configure(EntityTypeBuilder<ExpiryNotice> builder)
    {
        builder.HasIndex(n => new { n.KeyId, n.DaysBefore, n.RecipientUserId }).IsUnique();
        builder.HasOne(n => n.Key).WithMany().HasForeignKey(n => n.KeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.Recipient).WithMany().HasForeignKey(n => n.RecipientUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
