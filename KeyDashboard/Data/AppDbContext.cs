using KeyDashboard.Audit;
using KeyDashboard.Cluster;
using KeyDashboard.Email;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KeyDashboard.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<KeyUsageDay> KeyUsageDays => Set<KeyUsageDay>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<ExpiryNotice> ExpiryNotices => Set<ExpiryNotice>();
    public DbSet<StoredPepper> StoredPeppers => Set<StoredPepper>();
    public DbSet<ClusterRevision> ClusterRevisions => Set<ClusterRevision>();
    public DbSet<AppInstance> AppInstances => Set<AppInstance>();
    /// <summary>On PostgreSQL, where every instance reads them; on SQLite they stay in the data folder (and this table empty).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values in SQL; as UTC ticks it can.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
        // PostgreSQL's timestamptz holds UTC, and Npgsql refuses to write a time with any other offset.
        if (Database.IsNpgsql())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<InUtc>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<InUtc>();
        }
    }

    /// <summary>Whether text search must ask for case-insensitive matching itself: SQLite's LIKE is, PostgreSQL's is not.</summary>
    public bool LikeIsCaseSensitive => Database.IsNpgsql();

    /// <summary>Whether an ascending order puts nulls last: PostgreSQL's does, SQLite's puts them first.</summary>
    public bool SortsNullsLast => Database.IsNpgsql();

    private sealed class InUtc() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

    /// <summary>
    /// A transaction in which a check and the write it allows can't interleave with another change of the workspace,
    /// such as two owners demoting each other. SQLite's transactions take the database's write lock at their start
    /// (BEGIN IMMEDIATE); on PostgreSQL the transaction locks the workspace's row.
    /// </summary>
    public async Task<IDbContextTransaction> BeginWorkspaceTransactionAsync(Guid workspaceId, CancellationToken ct = default)
    {
        var transaction = await Database.BeginTransactionAsync(ct);
        if (Database.IsNpgsql())
            await Database.ExecuteSqlAsync($"""SELECT 1 FROM "Workspaces" WHERE "Id" = {workspaceId} FOR UPDATE""", ct);
        return transaction;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Saves, or saves nothing and returns false when a concurrent write came first. <typeparamref name="TConflict"/>
    /// is what that looks like to the caller: a <see cref="DbUpdateConcurrencyException"/> when a row it read changed
    /// or vanished meanwhile, any <see cref="DbUpdateException"/> when a unique index refusing a duplicate counts too.
    /// </summary>
    public async Task<bool> TrySaveChangesAsync<TConflict>(CancellationToken ct = default) where TConflict : DbUpdateException
    {
        try
        {
            await SaveChangesAsync(ct);
            return true;
        }
        // A busy database is not a lost race: it goes up to the caller's 503 or "The database is busy" instead.
        catch (TConflict e) when (!DatabaseUnavailable.Is(e))
        {
            return false;
        }
    }

    private void RefuseAuditChanges()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Audit entries are append-only.");
    }
}
