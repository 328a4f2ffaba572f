using KeyDashboard.Redis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace KeyDashboard.Tests.Redis;

public sealed class RedisSetupTests
{
    [Fact]
    public void Without_the_setting_there_is_no_connection_to_share()
    {
        var services = new ServiceCollection().AddRedis(new KeyDashboardOptions { Redis = " " });

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(IConnectionMultiplexer));
    }

    [Fact]
    public void A_setting_that_is_no_configuration_string_stops_the_start_with_a_sentence_naming_it_and_not_its_value()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddRedis(new KeyDashboardOptions { Redis = "127.0.0.1:6379,password=hunter2,connectTimeout=soon" }));

        Assert.StartsWith("KeyDashboard:Redis is not a StackExchange.Redis configuration string", refused.Message);
        Assert.DoesNotContain("hunter2", refused.Message);
    }
}
