using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>Every way a presented key can be wrong, against <c>GET /api/v1/me</c> and <c>POST /api/v1/verify</c>.</summary>
public sealed class ApiAuthenticationTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    public static TheoryData<string, bool, string?> Cases() => new()
    {
        // case, usable, verify's reason
        { "no key", false, null },
        { "malformed", false, "malformed" },
        { "bad checksum", false, "malformed" },
        { "unknown", false, "unknown" },
        { "expired", false, "expired" },
        { "revoked", false, "revoked" },
        { "rotated, old secret within grace", true, null },
        { "rotated, old secret after grace", false, "rotated_secret_expired" },
        { "owner removed from the workspace", false, "owner_not_member" },
        { "valid", true, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Me_answers_200_only_for_a_usable_key_and_the_same_401_otherwise(string @case, bool usable, string? _)
    {
        var presented = await PresentedKeyAsync(@case);

        var response = await app.ApiClient(presented).GetAsync("/api/v1/me");

        if (usable)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var me = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(app.World.Workspace.Name, me.GetProperty("workspace").GetProperty("name").GetString());
            return;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var reference = await app.ApiClient().GetAsync("/api/v1/me");
        Assert.Equal(await reference.Content.ReadAsByteArrayAsync(), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verify_says_whether_the_key_is_usable_and_why_not(string @case, bool usable, string? reason)
    {
        var presented = await PresentedKeyAsync(@case);

        var response = await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = presented });

        if (presented is null)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(usable, answer.GetProperty("valid").GetBoolean());
        Assert.Equal(reason, answer.GetProperty("reason").GetString());
        Assert.Equal(usable, answer.GetProperty("keyId").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Me_describes_the_calling_key()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(scopes: ["keys:read", "usage:read"]));
        var owner = app.World.Owner;

        var me = await app.ApiClient(issued.Secret, "203.0.113.77").GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(issued.Key.Id, me.GetProperty("keyId").GetString());
        Assert.Equal(issued.Key.Name, me.GetProperty("name").GetString());
        Assert.Equal(app.World.Workspace.Id, me.GetProperty("workspace").GetProperty("id").GetGuid());
        Assert.Equal(owner.Id, me.GetProperty("owner").GetProperty("id").GetString());
        Assert.Equal(owner.Email, me.GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal(Roles.Owner, me.GetProperty("role").GetString());
        Assert.Equal(["keys:read", "usage:read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(issued.Key.ExpiresAt, me.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(1, me.GetProperty("usageCount").GetInt64());
        Assert.Equal("203.0.113.77", me.GetProperty("lastUsedFrom").GetString());
        Assert.DoesNotContain(issued.Secret, me.GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/me?api_key={0}")]
    [InlineData("/api/v1/me?key={0}")]
    [InlineData("/api/v1/me?access_token={0}")]
    public async Task A_key_in_the_query_string_is_refused(string url)
    {
        var issued = await app.CreateKeyAsync();

        var response = await app.ApiClient().GetAsync(string.Format(url, issued.Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Basic {0}")]
    [InlineData("{0}")]
    [InlineData("Bearer")]
    [InlineData("Token {0}")]
    public async Task Only_the_bearer_scheme_carries_a_key(string header)
    {
        var issued = await app.CreateKeyAsync();
        var client = app.ApiClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", string.Format(header, issued.Secret));

        var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_cookie_does_not_authenticate_the_api()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var response = await browser.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Using_a_revoked_key_is_audited_with_the_key_as_actor_and_the_client_address()
    {
        var issued = await app.CreateKeyAsync();
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, issued.Key.Id, "leaked"));

        await app.ApiClient(issued.Secret, "203.0.113.99").GetAsync("/api/v1/me");

        var entry = Assert.Single(await app.AuditEntriesAsync("key.revoked_key_used"), a => a.TargetId == issued.Key.Id);
        Assert.Equal(KeyDashboard.Audit.AuditActorType.Key, entry.ActorType);
        Assert.Equal(issued.Key.Id, entry.ActorId);
        Assert.Equal("203.0.113.99", entry.ClientAddress);
        Assert.DoesNotContain(issued.Secret, entry.Details ?? "");
    }

    private async Task<string?> PresentedKeyAsync(string @case)
    {
        switch (@case)
        {
            case "no key": return null;
            case "malformed": return "not-a-key";
            case "bad checksum":
                return KeySecrets.WithWrongChecksum((await app.CreateKeyAsync()).Secret);
            case "unknown": return app.Services.GetRequiredService<ApiKeyFormat>().Generate(KeyEnvironment.Test);
            case "expired":
                var expired = await app.CreateKeyAsync();
                await app.UpdateKeyRowAsync(expired.Key.Id, k => k.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
                return expired.Secret;
            case "revoked":
                var revoked = await app.CreateKeyAsync();
                await app.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, revoked.Key.Id, "test"));
                return revoked.Secret;
            case "rotated, old secret within grace":
                var rotated = await app.CreateKeyAsync();
                await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, rotated.Key.Id, RotationGrace.OneHour));
                return rotated.Secret;
            case "rotated, old secret after grace":
                var ended = await app.CreateKeyAsync();
                await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, ended.Key.Id, RotationGrace.OneHour));
                await app.UpdateKeyRowAsync(ended.Key.Id, k => k.PreviousSecretValidUntil = DateTimeOffset.UtcNow.AddSeconds(-1));
                return ended.Secret;
            case "owner removed from the workspace":
                var leaver = await app.AddMemberAsync(Roles.Member);
                var orphan = await app.CreateKeyAsync(WorldKeys.KeyRequest(owner: leaver));
                await using (var db = await app.DbFactory.CreateDbContextAsync())
                    await db.Memberships.Where(m => m.UserId == leaver.Id).ExecuteDeleteAsync();
                await app.Services.AnnounceChangeAsync(app.World.Workspace.Id);
                return orphan.Secret;
            case "valid": return (await app.CreateKeyAsync()).Secret;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }
    }
}
