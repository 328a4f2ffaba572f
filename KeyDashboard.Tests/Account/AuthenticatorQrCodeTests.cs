using System.Text.Encodings.Web;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// The authenticator page shows the account's key as a QR code, drawn on the server as SVG, that an authenticator app
/// reads as this account of KeyDashboard with this key.
/// </summary>
public sealed class AuthenticatorQrCodeTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task The_authenticator_page_shows_a_QR_code_of_the_accounts_key_under_KeyDashboards_name()
    {
        var user = await app.AddUserAsync();
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);

        var page = await (await browser.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var key = await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(user.Id))!);
        var uri = $"otpauth://totp/KeyDashboard:{UrlEncoder.Default.Encode(user.Email!)}?secret={key}&issuer=KeyDashboard&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var expected = new SvgQRCode(data).GetGraphic(5, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        Assert.Contains("role=\"img\" aria-label=\"QR code of the key, for your authenticator app\"", page);
        Assert.Contains(expected, page);
        Assert.DoesNotContain("enable QR code generation", page);
    }
}
