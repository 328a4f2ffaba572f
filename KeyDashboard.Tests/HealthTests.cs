using System.Net;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_200_Healthy_without_authentication()
    {
        await using var app = new KeyDashboardFactory();

        var response = await app.CreateBrowser().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
