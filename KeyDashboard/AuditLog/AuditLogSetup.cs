using KeyDashboard.Audit;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.AuditLog;

/// <summary>The audit log as people read it: its page's query service and the CSV export.</summary>
public static class AuditLogSetup
{
    public const string ExportPath = "/audit/export.csv";

    public static IServiceCollection AddAuditLog(this IServiceCollection services) =>
        services.AddScoped<AuditLogQuery>();

    /// <summary>The CSV export, for the signed-in owner or admin of the current workspace (cookie-authenticated).</summary>
    public static IEndpointRouteBuilder MapAuditLog(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportCsvAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportCsvAsync(
        HttpContext http, AuditLogQuery audit, TimeProvider clock,
        [FromQuery] string? actor, [FromQuery] string? action, [FromQuery] string? key,
        [FromQuery] bool? hideSignIns, [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, CancellationToken ct)
    {
        if (WorkspaceContext.Of(http.User) is not { } workspace)
            return TypedResults.Problem("You are not a member of any workspace.", statusCode: StatusCodes.Status404NotFound);
        var filter = new AuditFilter { Actor = actor, Action = action, KeyId = key, HideSignIns = hideSignIns == true, From = from, To = to };
        var result = await audit.ExportAsync(workspace.Actor, workspace.WorkspaceId, filter, ct);
        return result.ToHttpResult(entries =>
        {
            http.Response.Headers.CacheControl = "no-store";
            var fileName = $"audit-log-{clock.GetUtcNow():yyyy-MM-dd}.csv";
            return TypedResults.Stream(body => AuditCsv.WriteAsync(entries, body, http.RequestAborted), AuditCsv.ContentType, fileName);
        });
    }
}
