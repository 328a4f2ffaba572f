using System.Text.RegularExpressions;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Data;

[Collection(ConsoleCollection.Name)]
public sealed partial class DemoDataTests
{
    [Fact]
    public async Task The_first_start_on_an_empty_database_creates_the_demo()
    {
        await using var app = new KeyDashboardFactory { SeedDemoData = true };
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;

        var workspaces = await db.Workspaces.OrderBy(w => w.Name).Select(w => $"{w.Name} {w.Plan}").ToListAsync();
        var members = await db.Memberships.OrderBy(m => m.Workspace.Name).ThenBy(m => m.User.Email)
            .Select(m => $"{m.Workspace.Name} {m.User.Email} {m.Role}").ToListAsync();
        var demoKeys = await db.ApiKeys.Where(k => k.Workspace.Name == "Demo").ToListAsync();

        Assert.Equal(["Demo Paid", "Other Free"], workspaces);
        Assert.Equal([
            "Demo admin@example.com admin", "Demo member@example.com member", "Demo owner@example.com owner",
            "Other other@example.com owner"], members);
        Assert.Equal(4, await db.Users.CountAsync());
        Assert.Equal(Enum.GetValues<KeyStatus>().ToHashSet(), demoKeys.Select(k => k.StatusAt(now)).ToHashSet());
        Assert.Equal(Enum.GetValues<KeyEnvironment>().ToHashSet(), demoKeys.Select(k => k.Environment).ToHashSet());
        Assert.Contains(true, await OldSecretsAcceptedAsync(app, demoKeys, now));
        Assert.True(await db.KeyUsageDays.Select(u => u.ApiKeyId).Distinct().CountAsync() >= 3, "Several keys have usage history.");
        Assert.Equal(await db.ApiKeys.CountAsync(), await db.AuditEntries.CountAsync(e => e.Action == "key.created"));
        // The README's password signs each of them in: the other tests sign in to the test world's accounts instead.
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var user in await db.Users.ToListAsync())
            Assert.True(await users.CheckPasswordAsync(user, DemoData.Password), user.Email);
    }

    [Fact]
    public async Task The_first_start_prints_one_working_test_key_and_a_second_start_prints_none()
    {
        // Assertions on captured output never show it: it holds a secret.
        var firstStart = new KeyDashboardFactory { SeedDemoData = true, KeepDataDirectory = true };
        string firstOutput;
        using (var console = new ConsoleCapture())
        {
            await using (firstStart) _ = firstStart.Services;
            firstOutput = console.Text; // the app has stopped: nothing writes to the capture any more
        }
        var keyLines = firstOutput.Split('\n').Where(line => line.Contains("kd_test_")).ToList();
        Assert.True(keyLines.Count == 1, $"Expected one line with a test key, found {keyLines.Count}.");
        Assert.True(firstOutput.Contains("KeyDashboard demo API key"), "The key is labelled.");
        Assert.False(firstOutput.Contains("kd_live_"), "No live key is printed.");
        var demoKey = TestKey().Match(keyLines[0]).Value;

        string secondOutput;
        KeyMatch? match;
        bool usable;
        string ownerId;
        string[] allScopes;
        using (var console = new ConsoleCapture())
        {
            await using (var secondStart = new KeyDashboardFactory { SeedDemoData = true, DataDirectory = firstStart.DataDirectory })
            {
                await using var db = await secondStart.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
                Assert.Equal(2, await db.Workspaces.CountAsync());
                Assert.Equal(4, await db.Users.CountAsync());
                ownerId = await db.Users.Where(u => u.Email == "owner@example.com").Select(u => u.Id).SingleAsync();
                allScopes = secondStart.Services.GetRequiredService<ScopeCatalog>().AllScopes.Order().ToArray();
                // Found through the second start: the pepper the first start generated was kept in the data folder.
                match = await secondStart.Services.GetRequiredService<ApiKeyLookup>().FindAsync(demoKey);
                usable = match is not null && (await secondStart.Services.GetRequiredService<ApiKeyAuthenticator>()
                    .CheckMatchAsync(match, DateTimeOffset.UtcNow)).Key is not null;
            }
            secondOutput = console.Text;
        }
        Assert.False(secondOutput.Contains("kd_test_") || secondOutput.Contains("demo API key"), "The second start printed a key.");

        Assert.True(match is not null, "The printed key is not found by its hash.");
        Assert.Equal(ownerId, match.Key.OwnerUserId);
        Assert.Equal(KeyEnvironment.Test, match.Key.Environment);
        Assert.True(usable);
        Assert.Equal(allScopes, match.Key.Scopes.Order().ToArray());
    }

    // For each key in a rotation, whether the API would still accept the secret the rotation replaced.
    private static async Task<List<bool>> OldSecretsAcceptedAsync(KeyDashboardFactory app, List<ApiKey> keys, DateTimeOffset now)
    {
        var authenticator = app.Services.GetRequiredService<ApiKeyAuthenticator>();
        var accepted = new List<bool>();
        foreach (var key in keys.Where(k => k.RotatedAt is not null && k.PreviousSecretHash is not null))
            accepted.Add((await authenticator.CheckMatchAsync(new KeyMatch(key, ViaPreviousSecret: true), now)).Key is not null);
        return accepted;
    }

    [GeneratedRegex("kd_test_[0-9A-Za-z]+")]
    private static partial Regex TestKey();
}
