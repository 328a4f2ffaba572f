using KeyDashboard.Api;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Cluster;
using KeyDashboard.Components;
using KeyDashboard.Components.Account;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Errors;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Redis;
using KeyDashboard.Security;
using KeyDashboard.Sessions;
using KeyDashboard.SignIn;
using KeyDashboard.Telemetry;
using KeyDashboard.Workspaces;
using MudBlazor.Services;

namespace KeyDashboard;

public static class KeyDashboardSetup
{
    public static WebApplicationBuilder AddKeyDashboard(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(KeyDashboardOptions.Section);
        var options = section.Get<KeyDashboardOptions>() ?? new KeyDashboardOptions();
        var dataDirectory = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, options.DataDirectory));
        var services = builder.Services;

        services.Configure<KeyDashboardOptions>(section);
        services.AddSingleton(new DataDirectory(dataDirectory));
        services.AddSingleton(TimeProvider.System);
        services.AddKeyDashboardDataProtection(builder.Configuration, dataDirectory);

        services.AddKeyDashboardData(builder.Configuration, dataDirectory);
        services.AddCluster(builder.Configuration);
        services.AddTelemetry(builder.Configuration);
        services.AddKeyDashboardIdentity();
        services.AddSignInLimits();
        services.AddEmail();
        services.AddSessions();
        services.AddKeys();
        services.AddWorkspaces();
        services.AddMembers();
        services.AddRedis(options);
        services.AddApi();
        services.AddAudit();
        services.AddAuditLog();
        services.AddMudServices();
        services.AddErrorHandling();
        services.AddDatabaseHealthCheck();
        // A circuit message carries a whole text field: the leaked-key lookup takes 100 KB of pasted text, UTF-8
        // (up to 3 bytes a character in the browser's JSON), and SignalR's 32 KB default would drop the circuit instead.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 4 * LeakedKeyFinder.MaxTextBytes);
        services.AddWebSecurity(options);
        return builder;
    }

    public static WebApplication MapKeyDashboard(this WebApplication app)
    {
        app.UseErrorHandling();
        app.UseWebSecurity();
        app.UseApiProblemDetails();
        // Here rather than first, where the host would put them: they read the client address the forwarded headers set.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.RefuseInvalidAntiforgeryTokens();
        // After authentication and authorization: the per-key limit needs the key.
        app.UseRateLimiter();

        app.MapDatabaseHealthChecks();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapApi();
        app.MapAuditLog();
        return app;
    }
}
