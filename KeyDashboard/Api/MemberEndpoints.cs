using KeyDashboard.Members;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

public static class MemberEndpoints
{
    public const string ReadScope = "members:read";

    public static RouteGroupBuilder MapMemberEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/members", ListAsync).RequireScope(ReadScope).WithTags("Members").WithName("ListMembers")
            .WithSummary("List the workspace's members")
            .WithDescription("Every member of the key's workspace with their role, ordered by e-mail address.");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<MemberResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ApiCaller caller, MembershipService memberships, CancellationToken ct) =>
        (await memberships.MembersAsync(caller.Actor, caller.WorkspaceId, ct))
            .ToHttpResult(members => TypedResults.Ok<IReadOnlyList<MemberResponse>>(members.Select(MemberResponse.From).ToList()));
}
