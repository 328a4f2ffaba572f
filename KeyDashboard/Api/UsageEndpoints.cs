using KeyDashboard.Data;
using KeyDashboard.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Api;

public static class UsageEndpoints
{
    public const string ReadScope = "usage:read";
    public const int MaxDays = 365;

    public static RouteGroupBuilder MapUsageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/keys/{id}/usage", GetAsync).RequireScope(ReadScope).ProducesProblems(404).WithTags("Usage").WithName("GetKeyUsage")
            .WithSummary("A key's requests per day")
            .WithDescription("Requests per UTC day for the last `days` days (30 by default, at most 365), ending today, oldest first; days without requests count zero.");
        return api;
    }

    private static async Task<Results<Ok<KeyUsageResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, ApiCaller caller, ApiKeyService keys, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock,
        CancellationToken ct, int days = 30)
    {
        if (days is < 1 or > MaxDays) return ApiProblems.Invalid("days", $"Days must be between 1 and {MaxDays}.");
        // Through the key service: it checks membership and finds the key only within the caller's workspace.
        var key = await keys.GetAsync(caller.Actor, caller.WorkspaceId, id, ct);
        if (!key.Succeeded) return key.ToProblem();

        var to = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = to.AddDays(1 - days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.KeyUsageDays.AsNoTracking()
            .Where(u => u.ApiKeyId == id && u.Day >= from && u.Day <= to)
            .ToDictionaryAsync(u => u.Day, u => u.Count, ct);
        var series = Enumerable.Range(0, days).Select(i => from.AddDays(i))
            .Select(day => new UsageDayResponse(day, counts.GetValueOrDefault(day))).ToList();
        return TypedResults.Ok(new KeyUsageResponse(id, from, to, series.Sum(d => d.Count), series));
    }
}
