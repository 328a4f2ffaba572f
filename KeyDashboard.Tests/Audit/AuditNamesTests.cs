using KeyDashboard.Audit;
using KeyDashboard.Tests.TestSupport;
using static KeyDashboard.Audit.AuditTrail;
using static KeyDashboard.Tests.TestSupport.WorldAudit;

namespace KeyDashboard.Tests.Audit;

public sealed class AuditNamesTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Names_the_workspaces_own_keys_and_members_in_one_lookup()
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));

        var names = await LookUpAsync(Details(new { owner = _database.Admin.Id, key = key.Key.Id }));

        Assert.Equal("admin@acme.test", names[_database.Admin.Id]);
        Assert.Equal("ci-deploy", names[key.Key.Id]);
    }

    [Fact]
    public async Task Details_naming_another_workspaces_key_or_user_never_bring_back_their_names()
    {
        var theirs = await _database.CreateKeyAsync(WorldKeys.KeyRequest("their-secret-project"), by: _database.OtherAdmin, workspace: _database.OtherWorkspace);

        var names = await LookUpAsync(Details(new { owner = _database.OtherAdmin.Id, key = theirs.Key.Id, invitedBy = _database.Outsider.Id }));

        Assert.Empty(names);
    }

    [Fact]
    public async Task A_former_member_is_still_named_where_the_workspaces_log_recorded_them()
    {
        await _database.AddAuditEntriesAsync(Entry(_database.Workspace.Id, AuditActions.MemberRemoved, _database.Clock.GetUtcNow(),
            targetId: _database.Outsider.Id, targetName: _database.Outsider.Email));

        var names = await LookUpAsync(Details(new { invitedBy = _database.Outsider.Id }));

        Assert.Equal(_database.Outsider.Email, names[_database.Outsider.Id]);
    }

    private async Task<IReadOnlyDictionary<string, string>> LookUpAsync(string details)
    {
        await using var db = await _database.DbFactory.CreateDbContextAsync();
        return await AuditNames.LookUpAsync(db, _database.Workspace.Id, [details]);
    }
}
