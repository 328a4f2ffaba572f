using KeyDashboard.Keys;

namespace KeyDashboard.Tests.Keys;

public sealed class SensitiveTextDetectorTests
{
    [Theory]
    [InlineData("prod-main-app")]
    [InlineData("crm-integration")]
    [InlineData("billing webhooks v2")]
    [InlineData("Nightly export to the data warehouse (EU region)")]
    [InlineData("")]
    [InlineData(null)]
    public void Purpose_names_raise_no_warning(string? text) => Assert.Null(SensitiveTextDetector.Warn(text));

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("key for j.smith+ci@corp.example.co.uk")]
    public void An_email_address_is_flagged(string text) =>
        Assert.Contains("e-mail address", SensitiveTextDetector.Warn(text));

    [Fact]
    public void A_real_generated_key_is_flagged()
    {
        var secret = new ApiKeyFormat().Generate(KeyEnvironment.Live);

        Assert.Contains("looks like an API key", SensitiveTextDetector.Warn($"old key {secret}"));
    }

    [Theory]
    [InlineData("sk_live_4eC39HqLyjWDarjtT1zdp7dc")]
    [InlineData("token: ghp16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    public void Other_key_like_strings_are_flagged(string text) =>
        Assert.Contains("looks like an API key", SensitiveTextDetector.Warn(text));

    [Theory]
    [InlineData("call +44 20 7946 0958 if it breaks")]
    [InlineData("(555) 010-4477")]
    [InlineData("card 4111 1111 1111 1111")]
    public void Phone_and_card_numbers_are_flagged(string text) =>
        Assert.Contains("phone or card number", SensitiveTextDetector.Warn(text));
}
