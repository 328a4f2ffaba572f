using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Data;

/// <summary>
/// <see cref="AppDbContext.TrySaveChangesAsync{TConflict}"/> reads a lost race as "false", but a database that is busy
/// or out of reach is not a race: reading it as one would tell a caller "accepted already" or "the key changed" when
/// nothing happened, instead of the honest 503 they can retry.
/// </summary>
public sealed class TrySaveChangesTests
{
    [Fact]
    public async Task A_save_that_failed_because_the_database_timed_out_is_not_taken_for_a_conflict()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var services = new ServiceCollection()
            .AddKeyDashboardData(database.Configuration, database.Directory)
            .ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(new TimingOutSaves()))
            .BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var user = await db.Users.FirstAsync();
        user.CurrentWorkspaceId = null;

        var busy = await Assert.ThrowsAsync<DbUpdateException>(() => db.TrySaveChangesAsync<DbUpdateException>());

        Assert.True(DatabaseUnavailable.Is(busy));
    }

    /// <summary>What a provider reports when the server did not answer in time, wrapped as EF Core wraps it.</summary>
    private sealed class TimingOutSaves : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default) =>
            throw new DbUpdateException("An error occurred while saving the entity changes.", new TimeoutException("The server did not answer."));
    }
}
