using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KeyDashboard.Tests.Data;

/// <summary>Run on each provider: a model change committed without that provider's migration fails here.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public async Task The_committed_migrations_of_this_provider_build_the_model_the_app_uses()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = await database.DbFactory.CreateDbContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), $"The model changed without a migration for {TestProvider.Current}: see the README's Development section.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal($"KeyDashboard.Migrations.{TestProvider.Current}", db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Assembly.GetName().Name);
    }
}
