using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class AdminRotatesAndRevokesJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string Rotated = "prod-main-app";
    private const string Revoked = "crm-integration";
    private const string Reason = "Leaked in support ticket #4711";

    [BrowserFact]
    public async Task Admin_rotates_one_key_with_a_grace_period_and_revokes_another_with_a_reason()
    {
        var page = await Server.SignInAsync("admin@example.com");
        var rows = page.Locator(".mud-table-body tr");
        var rotatedRow = rows.Filter(new() { HasText = Rotated });
        var revokedRow = rows.Filter(new() { HasText = Revoked });
        await Assertions.Expect(rotatedRow).Not.ToContainTextAsync("old secret valid until");
        // The owner's key: its new secret would carry an owner's power, so an admin may revoke and edit it but not rotate it.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rotate demo-console" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke demo-console" })).ToBeEnabledAsync();

        // Rotate, keeping the old secret for 7 days, then through the one-time reveal.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Rotate {Rotated}" }).ClickAsync();
        var rotate = page.GetByRole(AriaRole.Dialog, new() { Name = $"Rotate {Rotated}" });
        await Assertions.Expect(rotate).ToContainTextAsync("Tell the key's technical owner");
        await rotate.GetByRole(AriaRole.Radio, new() { Name = "7 days" }).CheckAsync();
        await rotate.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();

        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key rotated" });
        await Assertions.Expect(reveal).ToContainTextAsync("This is the only time the full key is shown");
        var secret = (await reveal.Locator("code").First.InnerTextAsync()).Trim();
        Assert.Matches("^kd_live_[0-9A-Za-z]{38}$", secret);
        await DashboardPage.ScreenshotAsync(page, "reveal-dialog-after-rotate");
        var done = reveal.GetByRole(AriaRole.Button, new() { Name = "Done" });
        await Assertions.Expect(done).ToBeDisabledAsync();
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await done.ClickAsync();
        await Assertions.Expect(reveal).ToBeHiddenAsync();

        await Assertions.Expect(rotatedRow).ToContainTextAsync(secret[..12] + "…");
        await Assertions.Expect(rotatedRow).ToContainTextAsync("old secret valid until");
        await Assertions.Expect(rotatedRow).ToContainTextAsync("Active");
        var validUntil = (await Server.KeyRowAsync(Rotated)).PreviousSecretValidUntil;
        Assert.NotNull(validUntil);
        Assert.InRange(validUntil.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(10), TimeSpan.FromDays(7));
        // Shown in the browser's zone, whichever that is; the exact UTC time on hover.
        await Assertions.Expect(rotatedRow.GetByText("old secret valid until").Locator("time")).ToHaveAttributeAsync("title", validUntil.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));

        // Revoke a live key: the name must be typed before Revoke is enabled.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {Revoked}" }).ClickAsync();
        var revoke = page.GetByRole(AriaRole.Dialog, new() { Name = $"Revoke {Revoked}" });
        await Assertions.Expect(revoke).ToContainTextAsync("This cannot be undone.");
        await Assertions.Expect(revoke).ToContainTextAsync("Requests today and yesterday");
        var revokeButton = revoke.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true });
        await revoke.GetByLabel("Reason").FillAsync(Reason);
        await Assertions.Expect(revokeButton).ToBeDisabledAsync();
        var confirmation = revoke.GetByLabel($"Type {Revoked} to confirm");
        await confirmation.FillAsync("crm-integratio");
        await Assertions.Expect(revokeButton).ToBeDisabledAsync();
        await confirmation.FillAsync(Revoked);
        await Assertions.Expect(revokeButton).ToBeEnabledAsync();
        await revokeButton.ClickAsync();
        await Assertions.Expect(revoke).ToBeHiddenAsync();

        // Gone from the default view; shown as Revoked once revoked keys are asked for.
        await Assertions.Expect(revokedRow).ToHaveCountAsync(0);
        await Assertions.Expect(rotatedRow).ToBeVisibleAsync();
        await page.GetByLabel("Show revoked keys").CheckAsync();
        await Assertions.Expect(revokedRow).ToHaveCountAsync(1);
        await Assertions.Expect(revokedRow).ToContainTextAsync("Revoked");
        await Assertions.Expect(revokedRow.GetByRole(AriaRole.Button, new() { Name = $"Revoke {Revoked}" })).ToBeDisabledAsync();
        await Assertions.Expect(revokedRow.GetByRole(AriaRole.Button, new() { Name = $"Rotate {Revoked}" })).ToBeDisabledAsync();
        await DashboardPage.ScreenshotAsync(page, "keys-page-admin-with-revoked");
        // At 1440 pixels the grid scrolls sideways: show its right-hand columns (Expires, Status) too.
        await revokedRow.GetByText("Revoked", new() { Exact = true }).ScrollIntoViewIfNeededAsync();
        await DashboardPage.ScreenshotAsync(page, "keys-page-admin-with-revoked-scrolled");

        var revoked = await Server.KeyRowAsync(Revoked);
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal(Reason, revoked.RevokedReason);
        Assert.Equal((await Server.UserAsync("admin@example.com")).Id, revoked.RevokedByUserId);
        await using var db = await Server.DbFactory.CreateDbContextAsync();
        // The interactive session has no request of its own: its audit entries carry the browser's address.
        var entries = await db.AuditEntries.Where(a => a.TargetId == revoked.Id || a.TargetName == Rotated)
            .Where(a => a.Action == "key.revoked" || a.Action == "key.rotated").Select(a => a.ClientAddress).ToListAsync();
        Assert.Equal(["127.0.0.1", "127.0.0.1"], entries);
    }
}
