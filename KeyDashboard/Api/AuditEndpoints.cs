using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Api;

public static class AuditEndpoints
{
    public const string ReadScope = "audit:read";
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireScope(ReadScope).WithTags("Audit").WithName("ListAuditEntries")
            .WithSummary("Read the audit log")
            .WithDescription("The workspace's audit entries, newest first. Filters: actor (a user id or key id), action (e.g. key.revoked), key (the key an entry is about), from and to (inclusive instants).");
        return api;
    }

    private static async Task<Results<Ok<AuditPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ApiCaller caller, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct,
        string? actor = null, string? action = null, string? key = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int page = 0, int pageSize = 50)
    {
        if (page < 0) return ApiResults.Invalid("page", "Page must be zero or more.");
        if (pageSize is < 1 or > MaxPageSize) return ApiResults.Invalid("pageSize", $"Page size must be between 1 and {MaxPageSize}.");
        if (from > to) return ApiResults.Invalid("from", "From must not be after to.");
        // Longer than any stored id or action: such a filter cannot match, and is a mistake.
        foreach (var (name, value) in new[] { ("actor", actor), ("action", action), ("key", key) })
            if (value is { Length: > 64 }) return ApiResults.Invalid(name, $"The {name} filter must be at most 64 characters.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The scope check already required an owner or admin; the database has the last word, as in the services.
        var role = await WorkspaceAccess.RoleAsync(db, caller.WorkspaceId, caller.Actor.UserId, ct);
        if (role is null) return TypedResults.Problem("Not found.", statusCode: StatusCodes.Status404NotFound);
        if (!Roles.CanManageKeys(role)) return TypedResults.Problem("Only owners and admins can see the audit log.", statusCode: StatusCodes.Status403Forbidden);

        var entries = db.AuditEntries.AsNoTracking().Where(e => e.WorkspaceId == caller.WorkspaceId);
        if (!string.IsNullOrEmpty(actor)) entries = entries.Where(e => e.ActorId == actor);
        if (!string.IsNullOrEmpty(action)) entries = entries.Where(e => e.Action == action);
        if (!string.IsNullOrEmpty(key)) entries = entries.Where(e => e.TargetType == "key" && e.TargetId == key);
        if (from is { } since) entries = entries.Where(e => e.At >= since.ToUniversalTime());
        if (to is { } until) entries = entries.Where(e => e.At <= until.ToUniversalTime());

        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new AuditPageResponse(items.Select(AuditEntryResponse.From).ToList(), total, page, pageSize));
    }
}
