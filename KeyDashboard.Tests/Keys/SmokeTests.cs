using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

public sealed class SmokeTests
{
    [Fact]
    public async Task Owner_creates_a_key_and_sees_it_listed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var service = database.KeyService();
        var created = await service.CreateAsync(database.ActorFor(database.Owner), database.Workspace.Id,
            new CreateKeyRequest { Name = "prod-main-app", Scopes = ["keys:read"] });
        Assert.True(created.Succeeded, created.Message);

        var list = await service.ListAsync(database.ActorFor(database.Member), database.Workspace.Id, new KeyQuery());
        Assert.Equal("prod-main-app", Assert.Single(list.Value!.Items).Name);
    }
}
