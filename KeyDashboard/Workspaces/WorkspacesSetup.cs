namespace KeyDashboard.Workspaces;

public static class WorkspacesSetup
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services) =>
        services.AddScoped<WorkspaceService>()
            .AddScoped<WorkspaceSettingsService>()
            .AddSingleton<WorkspaceChanges>();
}
