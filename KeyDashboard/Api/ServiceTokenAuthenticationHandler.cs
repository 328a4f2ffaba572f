using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using KeyDashboard.Api.KeyAuthentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api;

/// <summary>
/// The scheme of <c>POST /api/v1/verify</c>: a product's own service sends one of the configured
/// <c>KeyDashboard:Api:ServiceTokens</c> as <c>Authorization: Bearer</c>. A workspace key is never accepted here.
/// </summary>
public sealed class ServiceTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<KeyDashboardOptions> settings,
    FailedAuthenticationLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ServiceToken";

    private static readonly byte[] NotConfiguredBody = ApiProblems.UnauthorizedBodyWith(
        "No service token is configured: set KeyDashboard:Api:ServiceTokens to use /api/v1/verify.");
    private static readonly byte[] InvalidTokenBody = ApiProblems.UnauthorizedBodyWith(
        "A valid service token is required. Send it as: Authorization: Bearer <token>.");

    private TimeSpan? _blockedFor;

    private string[] Tokens => settings.Value.Api.ServiceTokens;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var clientAddress = Context.Connection.RemoteIpAddress?.ToString();
        if (await failures.BlockedForAsync(clientAddress) is { } retryAfter)
        {
            _blockedFor = retryAfter;
            return AuthenticateResult.Fail("Too many failed authentications from this address.");
        }
        var presented = ApiKeyAuthenticationHandler.BearerToken(Request);
        if (presented is null || !Matches(presented))
        {
            await failures.CountFailureAsync(clientAddress);
            Logger.LogInformation("Service token refused ({Reason}); client {ClientAddress}.",
                Tokens.Length == 0 ? "none configured" : presented is null ? "missing" : "no match", clientAddress);
            return AuthenticateResult.Fail("Invalid service token.");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "service")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        _blockedFor is { } retryAfter
            ? ApiProblems.WriteTooManyRequestsAsync(Context, retryAfter, "Too many failed authentications from this address. Try again later.")
            : ApiProblems.WriteUnauthorizedAsync(Response, Tokens.Length == 0 ? NotConfiguredBody : InvalidTokenBody);

    /// <summary>Compares hashes in constant time, against every token, so neither the length nor which token matched shows.</summary>
    private bool Matches(string presented)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var matched = false;
        foreach (var token in Tokens)
            matched |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return matched;
    }
}
