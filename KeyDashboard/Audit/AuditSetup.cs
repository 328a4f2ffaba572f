namespace KeyDashboard.Audit;

/// <summary>The audit trail every feature writes to; see <see cref="AuditTrail"/>.</summary>
public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services) =>
        services.AddScoped<SignInAudit>();
}
