using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class KeyStatusChipTests : ComponentTestContext
{
    [Theory]
    [InlineData(KeyStatus.Active, "Active", "mud-chip-color-success")]
    [InlineData(KeyStatus.ExpiringSoon, "Expiring soon", "mud-chip-color-warning")]
    [InlineData(KeyStatus.Expired, "Expired", "mud-chip-color-default")]
    [InlineData(KeyStatus.Revoked, "Revoked", "mud-chip-color-error")]
    public void Each_status_has_its_label_and_colour(KeyStatus status, string label, string colour)
    {
        var chip = Render<KeyStatusChip>(ps => ps.Add(c => c.Key, Key(status)));

        var element = chip.Find(".mud-chip");
        Assert.Equal(label, element.TextContent.Trim());
        Assert.Contains(colour, element.ClassList);
        Assert.DoesNotContain("old secret", chip.Markup);
    }

    [Fact]
    public void During_a_rotation_it_says_until_when_the_old_secret_works()
    {
        var until = new DateTimeOffset(2026, 11, 24, 13, 5, 0, TimeSpan.Zero);

        var chip = Render<KeyStatusChip>(ps => ps.Add(c => c.Key, Key(KeyStatus.Active) with { PreviousSecretValidUntil = until }));

        Assert.Contains("old secret valid until", chip.Find(".mud-typography-caption").TextContent);
        Assert.Equal("Nov 24, 2026 13:05 UTC", chip.Find("time").TextContent);
        Assert.Equal("2026-11-24 13:05:00 UTC", chip.Find("time").GetAttribute("title"));
    }

    private static KeySummary Key(KeyStatus status) => new()
    {
        Id = "key_test",
        Name = "ci-deploy",
        Description = "",
        DisplayPrefix = "kd_test_AbCd",
        OwnerUserId = "user",
        OwnerName = "owner@acme.test",
        OwnerRole = "member",
        Environment = KeyEnvironment.Test,
        Scopes = ["keys:read"],
        Status = status,
        CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
