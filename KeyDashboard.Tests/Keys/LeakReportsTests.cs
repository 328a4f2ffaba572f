using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Keys;

/// <summary>The leak reports' system actor revokes by secret only: it opens no other way to revoke or change a key.</summary>
public sealed class LeakReportsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_system_actor_passes_no_membership_check_of_the_key_service()
    {
        var issued = await _database.CreateKeyAsync();
        var system = Actor.System(LeakReports.ActorName, "203.0.113.9");
        var keys = _database.KeyService();

        Assert.Equal(OperationStatus.NotFound, (await keys.RevokeAsync(system, _database.Workspace.Id, issued.Key.Id, "x")).Status);
        Assert.Equal(OperationStatus.NotFound, (await keys.RevokeManyAsync(system, _database.Workspace.Id, [issued.Key.Id], "x")).Status);
        Assert.Equal(OperationStatus.NotFound, (await keys.RotateAsync(system, _database.Workspace.Id, issued.Key.Id, RotationGrace.None)).Status);
        Assert.Null((await _database.KeyRowAsync(issued.Key.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_key_id_or_display_prefix_is_not_a_secret_and_revokes_nothing()
    {
        var issued = await _database.CreateKeyAsync();
        var reports = _database.Services.GetRequiredService<LeakReports>();

        Assert.Equal(0, await reports.RevokeAsync([issued.Key.Id, issued.Key.DisplayPrefix], "203.0.113.9"));
        Assert.Null((await _database.KeyRowAsync(issued.Key.Id)).RevokedAt);
        Assert.Equal(1, await reports.RevokeAsync([issued.Secret, issued.Secret], "203.0.113.9"));
    }
}
