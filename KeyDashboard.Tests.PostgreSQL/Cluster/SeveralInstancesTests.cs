using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.Sessions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Tests.Cluster;

/// <summary>Three instances over one PostgreSQL database, attacked where a cluster is weakest: between the instances.</summary>
public sealed class SeveralInstancesTests
{
    private const int Trials = 1_000;
    private const int Workers = 4;
    private static readonly string[] AdminScopes = ["keys:read", "keys:write", "keys:delete"];

    [Fact]
    public async Task A_key_revoked_on_A_is_refused_by_the_very_next_request_on_B_and_C_in_1000_trials()
    {
        await using var cluster = ThreeInstances.Start();

        var (accepted, revoked) = await RevocationTrialsAsync(cluster, CancellationToken.None);

        Assert.Equal(Trials, revoked);
        Assert.Equal(0, accepted);
    }

    [Fact]
    public async Task Revocation_holds_while_Bs_listener_connection_keeps_being_killed_from_PostgreSQL()
    {
        await using var cluster = ThreeInstances.Start();
        using var stop = new CancellationTokenSource();
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (ThreeInstances.KillListener(cluster.B)) kills++;
                await Task.Delay(Random.Shared.Next(20, 300), CancellationToken.None);
            }
        });

        var (accepted, revoked) = await RevocationTrialsAsync(cluster, stop.Token);
        await stop.CancelAsync();
        await killer;

        Assert.Equal(Trials, revoked);
        Assert.Equal(0, accepted);
        Assert.True(kills >= 10, $"B's listener was killed only {kills} times.");
    }

    [Fact]
    public async Task A_revoke_returns_only_once_a_slow_instance_has_forgotten_the_key()
    {
        await using var cluster = ThreeInstances.Start();
        // B takes its time over every change it hears, as an instance under load would.
        cluster.B.Services.GetRequiredService<WorkspaceChanges>().Changed += _ => Thread.Sleep(300);
        var admin = cluster.A.ApiClient((await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("admin", AdminScopes))).Secret);

        for (var trial = 0; trial < 10; trial++)
        {
            var key = await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest($"trial-{trial}"));
            Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, key.Secret));
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cluster.B, key.Secret));
        }
    }

    [Fact]
    public async Task An_instance_whose_listener_cannot_reach_the_database_stops_trusting_its_cache_before_a_revoke_stops_waiting_for_it()
    {
        await using var cluster = ThreeInstances.Start();
        var admin = cluster.A.ApiClient((await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("admin", AdminScopes))).Secret);
        var keys = new List<IssuedKey>();
        for (var i = 0; i < 5; i++) keys.Add(await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest($"cached-{i}")));
        foreach (var key in keys) Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, key.Secret));

        // B's heartbeats and acknowledgements wait behind a lock on its row: B hears nothing and says nothing.
        await using (await InstanceRowLock.TakeAsync(cluster.A, ThreeInstances.InstanceId(cluster.B)))
        {
            await ThreeInstances.ListenerWaitingForALockAsync(cluster.B);
            var waited = Stopwatch.StartNew();
            foreach (var key in keys)
                Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
            var lease = cluster.A.Services.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Cluster.Lease;
            Assert.True(waited.Elapsed < lease * 2, $"The revokes waited {waited.Elapsed} for a silent instance; its lease is {lease}.");

            foreach (var key in keys) Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cluster.B, key.Secret));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await cluster.B.CreateClient().GetAsync("/health")).StatusCode);
        }

        await ClusterTestSupport.ListeningAsync(cluster.B.Services);
        Assert.Equal(HttpStatusCode.OK, (await cluster.B.CreateClient().GetAsync("/health")).StatusCode);
        foreach (var key in keys) Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cluster.B, key.Secret));
    }

    [Fact]
    public async Task A_rotation_with_grace_on_A_is_honoured_on_B_and_one_without_ends_the_old_secret_there_at_once()
    {
        await using var cluster = ThreeInstances.Start();
        var admin = cluster.A.ApiClient((await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("admin", AdminScopes))).Secret);
        var graceful = await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("graceful"));
        var abrupt = await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("abrupt"));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, graceful.Secret));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, abrupt.Secret));

        var withGrace = await RotateAsync(admin, graceful.Key.Id, "1h");
        var withoutGrace = await RotateAsync(admin, abrupt.Key.Id, "none");

        Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, withGrace));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, graceful.Secret));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cluster.B, withoutGrace));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cluster.B, abrupt.Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cluster.C, abrupt.Secret));
    }

    [Fact]
    public async Task A_downgrade_on_A_refuses_live_keys_on_B_and_C_at_once_and_an_upgrade_restores_them_at_once()
    {
        await using var cluster = ThreeInstances.Start();
        var live = await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        // Each instance now holds the key in its verified-key cache.
        foreach (var instance in new[] { cluster.B, cluster.C }) Assert.Equal(HttpStatusCode.OK, await MeAsync(instance, live.Secret));

        await ChangePlanAsync(cluster.A, WorkspacePlan.Free);
        foreach (var instance in new[] { cluster.B, cluster.C }) Assert.Equal(HttpStatusCode.Forbidden, await MeAsync(instance, live.Secret));

        await ChangePlanAsync(cluster.A, WorkspacePlan.Paid);
        foreach (var instance in new[] { cluster.B, cluster.C }) Assert.Equal(HttpStatusCode.OK, await MeAsync(instance, live.Secret));
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_A_is_accepted_by_B_and_C_whose_data_folders_hold_no_keys()
    {
        await using var cluster = ThreeInstances.Start(onKestrel: false);
        var signedIn = await SessionBrowser.SignedInAsync(cluster.A, cluster.A.World.Owner.Email!);

        Assert.True(await SessionBrowser.IsSignedInAsync(SessionBrowser.Replaying(cluster.B, signedIn.SessionCookie)));
        Assert.True(await SessionBrowser.IsSignedInAsync(SessionBrowser.Replaying(cluster.C, signedIn.SessionCookie)));
        Assert.False(Directory.Exists(Path.Combine(cluster.B.DataDirectory, "data-protection-keys")));
        await using var db = await cluster.A.DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    [Fact]
    public async Task Usage_is_exact_with_64_concurrent_callers_on_each_of_three_instances()
    {
        const int CallersPerInstance = 64, CallsPerCaller = 5;
        await using var cluster = ThreeInstances.Start();
        var key = await cluster.A.CreateKeyAsync();

        var statuses = await Task.WhenAll(new[] { cluster.A, cluster.B, cluster.C }
            .SelectMany(instance => Enumerable.Range(0, CallersPerInstance).Select(_ => instance.ApiClient(key.Secret)))
            .Select(async client =>
            {
                var ok = 0;
                for (var call = 0; call < CallsPerCaller; call++)
                    if ((await client.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.OK) ok++;
                return ok;
            }));
        const int Expected = 3 * CallersPerInstance * CallsPerCaller;
        Assert.Equal(Expected, statuses.Sum());

        var stored = await StoredUsageAsync(cluster.A, key.Key.Id, Expected);
        Assert.Equal((Expected, Expected), stored);
    }

    /// <summary>
    /// Each trial: a fresh key, cached on B and C by a first use there, revoked through A's API; the request each of B
    /// and C then gets must be refused. Returns how many were accepted after their revoke had returned.
    /// </summary>
    private static async Task<(int Accepted, int Revoked)> RevocationTrialsAsync(ThreeInstances cluster, CancellationToken disturbing)
    {
        var admin = cluster.A.ApiClient((await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("admin", AdminScopes))).Secret);
        var keys = new List<IssuedKey>();
        for (var i = 0; i < Trials; i++) keys.Add(await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest($"trial-{i}")));
        var (onB, onC) = (cluster.B.ApiClient(), cluster.C.ApiClient());
        var accepted = 0;
        var revoked = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (key, _) =>
        {
            // Cached: either may still answer from its cache until the revoke returns, and must not after.
            await MeAsync(onB, key.Secret);
            await MeAsync(onC, key.Secret);
            if ((await admin.DeleteAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode == HttpStatusCode.NoContent) Interlocked.Increment(ref revoked);
            if (await MeAsync(onB, key.Secret) != HttpStatusCode.Unauthorized) Interlocked.Increment(ref accepted);
            if (await MeAsync(onC, key.Secret) != HttpStatusCode.Unauthorized) Interlocked.Increment(ref accepted);
        });
        return (accepted, revoked);
    }

    private static Task<HttpStatusCode> MeAsync(KeyDashboardFactory instance, string secret) => MeAsync(instance.ApiClient(), secret);

    private static async Task<HttpStatusCode> MeAsync(HttpClient client, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new("Bearer", secret);
        return (await client.SendAsync(request)).StatusCode;
    }

    private static async Task ChangePlanAsync(KeyDashboardFactory instance, WorkspacePlan plan)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkspaceSettingsService>()
            .ChangePlanAsync(instance.ActorFor(instance.World.Owner), instance.World.Workspace.Id, plan);
        Assert.True(result.Succeeded, result.Message);
    }

    private static async Task<string> RotateAsync(HttpClient admin, string keyId, string grace)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/keys/{keyId}/rotate", new { grace });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    /// <summary>The key's usage count and the sum of its usage days, once the instances' batches hold at least <paramref name="expected"/>.</summary>
    private static async Task<(long Count, long Days)> StoredUsageAsync(KeyDashboardFactory instance, string keyId, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            await using var db = await instance.DbFactory.CreateDbContextAsync();
            var count = await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.UsageCount).SingleAsync();
            if (count >= expected || DateTime.UtcNow > deadline)
            {
                // One more batch interval: anything counted twice would show up now.
                await Task.Delay(KeyUsageFlusher.Interval * 2);
                await using var after = await instance.DbFactory.CreateDbContextAsync();
                return (await after.ApiKeys.Where(k => k.Id == keyId).Select(k => k.UsageCount).SingleAsync(),
                    await after.KeyUsageDays.Where(u => u.ApiKeyId == keyId).SumAsync(u => u.Count));
            }
            await Task.Delay(100);
        }
    }
}
