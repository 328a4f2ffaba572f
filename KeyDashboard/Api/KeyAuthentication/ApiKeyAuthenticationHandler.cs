using System.Security.Claims;
using System.Text.Encodings.Web;
using KeyDashboard.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>, and nothing else: a key in the query string or a cookie is never read.
/// A usable key signs the request in as the key's owner (see <see cref="ApiKeyClaims"/>) and counts as one use of
/// it; anything else gets the same 401, and the reason is logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    FailedAuthenticationLimiter failures,
    KeyUsageRecorder usage,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The 403 answer to a live key of a workspace whose plan does not include live keys.</summary>
    public const string PlanUpgradeRequired = "This workspace's plan does not include live keys";

    private TimeSpan? _blockedFor;
    private bool _planRefused;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var clientAddress = Context.Connection.RemoteIpAddress?.ToString();
        if (await failures.BlockedForAsync(clientAddress) is { } retryAfter)
        {
            _blockedFor = retryAfter;
            return AuthenticateResult.Fail("Too many failed authentications from this address.");
        }

        var now = clock.GetUtcNow();
        var check = await authenticator.CheckAsync(BearerToken(Request), now, clientAddress, Context.RequestAborted);
        if (check.Refusal == KeyRefusal.PlanUpgradeRequired)
        {
            // A genuine key, not a guess: it counts toward no failure limit, and is refused with 403 rather than 401.
            _planRefused = true;
            Logger.LogInformation("API key refused: {Reason}; key {KeyId}, client {ClientAddress}.", check.Refusal, check.KeyId, clientAddress);
            return AuthenticateResult.Fail(PlanUpgradeRequired);
        }
        if (check.Key is null)
        {
            await failures.CountFailureAsync(clientAddress);
            Logger.LogInformation("API key refused: {Reason}; key {KeyId}, client {ClientAddress}.", check.Refusal, check.KeyId ?? "-", clientAddress);
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var key = check.Key;
        var usageCount = key.UsageBase + usage.Record(key.KeyId, now, clientAddress, key.ViaPreviousSecret);
        Context.Features.Set(new AuthenticatedKey(key, now, clientAddress, usageCount));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(key.Identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        _blockedFor is { } retryAfter
            ? ApiProblems.WriteTooManyRequestsAsync(Context, retryAfter, "Too many failed authentications from this address. Try again later.")
            : _planRefused
                ? ApiProblems.WritePlanUpgradeRequiredAsync(Context, PlanUpgradeRequired)
                : ApiProblems.WriteUnauthorizedAsync(Response);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteForbiddenAsync(Context, "This key may not do that.");

    /// <summary>The token of an <c>Authorization: Bearer</c> header; null for any other header or none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1) return null;
        var value = header[0].AsSpan().Trim();
        const string bearer = "Bearer ";
        return value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? value[bearer.Length..].Trim().ToString() : null;
    }
}
