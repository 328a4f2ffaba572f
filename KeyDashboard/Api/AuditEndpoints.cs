using KeyDashboard.AuditLog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

/// <summary>The workspace's audit log, read through the same query (role check, filters, paging) as the dashboard.</summary>
public static class AuditEndpoints
{
    public const string ReadScope = "audit:read";

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireScope(ReadScope).WithTags("Audit").WithName("ListAuditEntries")
            .WithSummary("Read the audit log")
            .WithDescription("The workspace's audit entries, newest first, with the same filters as the dashboard's audit log and CSV export. "
                + "actor: a user id or key id (exact), or part of the actor's name (an e-mail address, or a key's name and prefix; any case). "
                + "action: e.g. key.revoked. key: entries about that key or made with it. "
                + "from (inclusive) and to (exclusive): instants, so consecutive ranges never share an entry. "
                + $"page: from 0. pageSize: 1 to {AuditLogQuery.MaxPageSize}.");
        return api;
    }

    private static async Task<Results<Ok<AuditPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ApiCaller caller, AuditLogQuery audit, CancellationToken ct,
        string? actor = null, string? action = null, string? key = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int page = 0, int pageSize = 50)
    {
        var filter = new AuditFilter { Actor = actor, Action = action, KeyId = key, From = from, To = to };
        var result = await audit.ListAsync(caller.Actor, caller.WorkspaceId, filter, page, pageSize, ct);
        return result.ToHttpResult(entries => TypedResults.Ok(
            new AuditPageResponse(entries.Items.Select(AuditEntryResponse.From).ToList(), entries.TotalCount, page, pageSize)));
    }
}
