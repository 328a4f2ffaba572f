using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class SensitiveTextWarningTests : ComponentTestContext
{
    [Fact]
    public void Shows_a_warning_for_an_email_address()
    {
        var warning = Render<SensitiveTextWarning>(ps => ps.Add(w => w.Text, "jane.doe@example.com"));

        var alert = warning.Find(".mud-alert");
        Assert.Contains("mud-alert-text-warning", alert.ClassName);
        Assert.Contains("This contains an e-mail address.", alert.TextContent);
    }

    [Fact]
    public void Shows_nothing_for_a_purpose_name()
    {
        var warning = Render<SensitiveTextWarning>(ps => ps.Add(w => w.Text, "prod-main-app"));

        Assert.Empty(warning.FindAll(".mud-alert"));
    }

    [Fact]
    public void Follows_the_text_as_it_changes()
    {
        var warning = Render<SensitiveTextWarning>(ps => ps.Add(w => w.Text, "crm-integration"));

        warning.Render(ps => ps.Add(w => w.Text, "crm sk_live_4eC39HqLyjWDarjtT1zdp7dc"));

        Assert.Contains("looks like an API key", warning.Find(".mud-alert").TextContent);
    }
}
