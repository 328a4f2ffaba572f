using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Authorization;

namespace KeyDashboard.Api;

/// <summary>An endpoint's scope: the key must hold it and its owner's current role must allow it.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>
/// Decides a <see cref="ScopeRequirement"/> from the key's claims: its scopes, and its owner's role in the key's
/// workspace, which the authentication handler reads fresh, so a lowered role narrows the key at once.
/// </summary>
public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var key = context.User.Identities.FirstOrDefault(i => i.IsAuthenticated && i.HasClaim(c => c.Type == ApiKeyClaims.KeyIdType));
        if (key is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "This call needs an API key."));
            return Task.CompletedTask;
        }
        var role = key.FindFirst(key.RoleClaimType)?.Value;
        if (!key.HasClaim(ApiKeyClaims.ScopeType, requirement.Scope))
            context.Fail(new ScopeFailure(this, $"This key lacks the scope {requirement.Scope}.", requirement.Scope, missingScope: true));
        else if (!Permissions.AllowsScope(role, requirement.Scope))
            context.Fail(new ScopeFailure(this, $"The key's owner, {Permissions.WithArticle(role)}, may not {requirement.Scope}.", requirement.Scope, missingScope: false));
        else
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Why a key was refused, for the 403 body.</summary>
public sealed class ScopeFailure(IAuthorizationHandler handler, string message, string scope, bool missingScope)
    : AuthorizationFailureReason(handler, message)
{
    public string Scope { get; } = scope;
    /// <summary>True when the key lacks the scope; false when it holds it but its owner's role does not allow it.</summary>
    public bool MissingScope { get; } = missingScope;
}

public static class ScopeAuthorizationExtensions
{
    /// <summary>Only an API key holding <paramref name="scope"/>, whose owner's role allows it, may call the endpoint.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyClaims.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(scope)))
        .WithMetadata(new ScopeRequirement(scope))
        .ProducesProblems(StatusCodes.Status403Forbidden);
}
