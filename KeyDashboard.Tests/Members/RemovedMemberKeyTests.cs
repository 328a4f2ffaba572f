using System.Net;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Members;

/// <summary>Removing a member through the members page's service stops their key on its very next API call.</summary>
public sealed class RemovedMemberKeyTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task A_removed_members_key_is_refused_on_its_next_call()
    {
        var member = await app.AddMemberAsync(Roles.Admin);
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest(owner: member));
        var client = app.ApiClient(key.Secret);
        // The first call puts the verified key in the API's cache: the removal must reach it there.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var removed = await scope.ServiceProvider.GetRequiredService<MembershipService>()
                .RemoveAsync(app.ActorFor(app.World.Owner), app.World.Workspace.Id, member.Id);
            Assert.True(removed.Succeeded, removed.Message);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }
}
