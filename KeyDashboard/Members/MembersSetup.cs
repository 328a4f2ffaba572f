namespace KeyDashboard.Members;

public static class MembersSetup
{
    public static IServiceCollection AddMembers(this IServiceCollection services) =>
        services.AddScoped<MembershipService>();
}
