using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class KeyCredentialsDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Shows_how_to_use_the_key_but_never_its_secret()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with
        {
            Environment = KeyEnvironment.Live,
            OwnerUserId = Database.Member.Id,
            Scopes = ["keys:read", "teammates:write"],
        });

        var (dialog, _) = await this.OpenDialogAsync(new DialogParameters<KeyCredentialsDialog> { { d => d.Key, issued.Key } });

        dialog.WaitForElement(".mud-dialog");
        Assert.Equal(issued.Key.Id, dialog.Find("code.copyable-value").TextContent);
        var rows = dialog.FindAll("th[scope=row]").ToDictionary(th => th.TextContent.Trim(), th => th.NextElementSibling!.TextContent.Trim());
        Assert.Equal("member@acme.test", rows["Owner"]);
        Assert.Equal($"{issued.Key.DisplayPrefix}…", rows["Prefix"]);
        Assert.StartsWith("kd_live_", rows["Prefix"]);
        Assert.Equal("live", rows["Environment"]);
        Assert.Equal("keys:read, teammates:write", rows["Scopes"]);
        var curl = dialog.Find("pre").TextContent;
        Assert.Contains($"curl -H \"Authorization: Bearer {issued.Key.DisplayPrefix}…\"", curl);
        Assert.Contains("cannot be shown again", dialog.Markup);
        var reference = dialog.FindAll("a").Single(a => a.TextContent == "API reference");
        Assert.Equal("/api/reference", reference.GetAttribute("href"));
        Assert.Equal("_blank", reference.GetAttribute("target"));
        Assert.DoesNotContain(issued.Secret, dialog.Markup);
        Assert.DoesNotContain(issued.Secret[issued.Key.DisplayPrefix.Length..], dialog.Markup);
    }

    [Fact]
    public async Task Copy_puts_the_key_id_on_the_clipboard()
    {
        var issued = await Database.CreateKeyAsync();
        var snackbars = Render<MudSnackbarProvider>();
        var (dialog, _) = await this.OpenDialogAsync(new DialogParameters<KeyCredentialsDialog> { { d => d.Key, issued.Key } });

        var copy = CopyableValueInterop.Copying(JSInterop, "copied");
        dialog.WaitForElement("button[aria-label='Copy Key ID']").Click();

        Assert.Equal(issued.Key.Id, copy.VerifyInvoke("copy").Arguments[1]);
        snackbars.WaitForAssertion(() => Assert.Contains("Key ID copied to the clipboard", snackbars.Markup));
    }
}
