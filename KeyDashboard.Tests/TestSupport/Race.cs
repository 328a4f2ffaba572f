using System.Data.Common;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Forces the interleaving a race needs. Each runner is a key service and a membership service on its own connections; it does all its
/// reads, then waits at the start line before opening its write transaction until every runner has arrived. So
/// all of them write from the same row, which is stale for all but the first to commit. A runner made with
/// <c>after</c> also waits until that runner's transaction has committed, which fixes who writes first.
/// </summary>
public sealed class Race(TestDatabase database, int runners = 2)
{
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly TaskCompletionSource _everyoneArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public RaceRunner Runner(RaceRunner? after = null)
    {
        var runner = new RaceRunner(this, after);
        // Its own options, not the app's pooled ones: the runner's interceptor sees only the runner's transactions.
        var services = new ServiceCollection().AddKeyDashboardData(database.Configuration, database.Directory)
            .ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(runner)).BuildServiceProvider();
        var options = services.GetRequiredService<DbContextOptions<AppDbContext>>();
        runner.Keys = new ApiKeyService(new ContextFactory(options), database.Format, database.Hasher, database.Scopes, database.Clock, database.Changes,
            database.Services.GetRequiredService<RevokedKeyNotices>());
        runner.Members = new MembershipService(new ContextFactory(options), database.Clock, database.Changes,
            database.Services.GetRequiredService<MailQueue>(), database.Services.GetRequiredService<PublicLinks>());
        return runner;
    }

    internal async Task ArriveAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _arrived) == runners) _everyoneArrived.TrySetResult();
        try { await _everyoneArrived.Task.WaitAsync(Patience, ct); }
        catch (TimeoutException) { throw new TimeoutException("Not every runner reached its write: the race did not happen."); }
    }

    private sealed class ContextFactory(DbContextOptions<AppDbContext> options) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new(options);
    }
}

public sealed class RaceRunner : DbTransactionInterceptor
{
    private readonly Race _race;
    private readonly RaceRunner? _after;
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _transactions;

    internal RaceRunner(Race race, RaceRunner? after) => (_race, _after) = (race, after);

    public ApiKeyService Keys { get; internal set; } = null!;
    public MembershipService Members { get; internal set; } = null!;

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        // Only the first write waits: a retry after losing the race must go straight through.
        if (Interlocked.Increment(ref _transactions) == 1)
        {
            await _race.ArriveAsync(cancellationToken);
            if (_after is not null) await _after._committed.Task.WaitAsync(Race.Patience, cancellationToken);
        }
        return result;
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _committed.TrySetResult();
        return Task.CompletedTask;
    }
}
