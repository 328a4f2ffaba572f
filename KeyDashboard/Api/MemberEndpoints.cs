using KeyDashboard.Workspaces;
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

    private static async Task<Ok<IReadOnlyList<MemberResponse>>> ListAsync(ApiCaller caller, WorkspaceService workspaces, CancellationToken ct)
    {
        var members = await workspaces.MembersAsync(caller.Actor.UserId, caller.WorkspaceId, ct);
        return TypedResults.Ok<IReadOnlyList<MemberResponse>>(members.Select(MemberResponse.From).ToList());
    }
}
