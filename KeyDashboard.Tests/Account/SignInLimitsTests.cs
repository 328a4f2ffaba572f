using System.Net;
using System.Text.RegularExpressions;
using KeyDashboard.Audit;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// Wrong passwords and codes cost an attacker time, and never hand them a way to lock the real user out: the quick
/// limits count per client address (and per account from that address), only the lockout counts per account.
/// </summary>
public sealed partial class SignInLimitsTests
{
    private const string WrongPassword = "Wrong-password-never-stored-7";
    private const string InvalidLogin = "Error: Invalid login attempt.";
    private const string AttackerAddress = "203.0.113.66";
    private const string OwnerAddress = "198.51.100.7";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Fifty_wrong_passwords_from_one_address_do_not_stop_the_owner_signing_in_from_another()
    {
        await using var app = new KeyDashboardFactory();
        var owner = await app.AddMemberAsync(Roles.Owner);
        var attacker = app.CreateBrowser(AttackerAddress);

        for (var attempt = 1; attempt <= 50; attempt++) await attacker.SignInAsync(owner.Email!, WrongPassword);

        await app.CreateBrowser(OwnerAddress).SignInOrFailAsync(owner.Email!);
    }

    [Fact]
    public async Task Over_its_limit_an_address_is_refused_without_checking_even_the_right_password()
    {
        var hasher = new CountingPasswordHasher();
        await using var app = new KeyDashboardFactory { SignInFailuresPerAddress = 3, ConfigureServices = hasher.ReplaceIn };
        var admin = await app.AddMemberAsync(Roles.Admin);
        var attacker = app.CreateBrowser(AttackerAddress);
        // A different name each time: the limit counts the address's failures, whatever accounts they were for.
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Contains(InvalidLogin, await (await attacker.SignInAsync($"guess-{attempt}@acme.test", WrongPassword)).Content.ReadAsStringAsync());
        hasher.Verified = 0;

        var refused = await attacker.SignInAsync(admin.Email!, TestWorld.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(15), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Error: Too many sign-in attempts from your network. Try again in 15 minutes.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, hasher.Verified);
        Assert.Equal("/Account/Login", (await attacker.GetAsync("/")).RedirectPath());
        var throttled = Assert.Single(await app.AuditEntriesAsync(AuditActions.SignInThrottled));
        Assert.Equal((app.World.Workspace.Id, admin.Id, AttackerAddress), (throttled.WorkspaceId!.Value, throttled.ActorId!, throttled.ClientAddress!));
        Assert.Equal("{\"method\":\"password\",\"limit\":\"address\",\"retryAfterSeconds\":900}", throttled.Details);
        await app.CreateBrowser(OwnerAddress).SignInOrFailAsync(admin.Email!);
    }

    [Fact]
    public async Task After_five_failures_each_attempt_for_the_account_from_that_address_waits_and_the_wait_ends()
    {
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(_clock) };
        var user = await app.AddMemberAsync(Roles.Member);
        var attacker = app.CreateBrowser(AttackerAddress);
        for (var attempt = 1; attempt <= 5; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await attacker.SignInAsync(user.Email!, WrongPassword)).StatusCode);

        var waiting = await attacker.SignInAsync(user.Email!, TestWorld.Password);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var sixth = await attacker.SignInAsync(user.Email!, WrongPassword);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var waitingTwice = await attacker.SignInAsync(user.Email!, TestWorld.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), waiting.Headers.RetryAfter?.Delta);
        Assert.Contains("Error: Too many failed sign-in attempts for this account. Try again in 1 second.", await waiting.Content.ReadAsStringAsync());
        Assert.Contains(InvalidLogin, await sixth.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, waitingTwice.StatusCode);
        // Meanwhile the account's owner, elsewhere, is not kept waiting.
        await app.CreateBrowser(OwnerAddress).SignInOrFailAsync(user.Email!);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await attacker.SignInOrFailAsync(user.Email!);
        Assert.Equal([.. Enumerable.Repeat("account", 2)],
            (await app.AuditEntriesAsync(AuditActions.SignInThrottled)).Select(e => Regex.Match(e.Details!, "\"limit\":\"(\\w+)\"").Groups[1].Value));
    }

    [Fact]
    public async Task Wrong_recovery_codes_are_slowed_down_the_same_way()
    {
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(_clock) };
        var user = await app.AddMemberAsync(Roles.Admin);
        var recoveryCode = await TurnOnTwoFactorAsync(app, user.Id);
        var browser = app.CreateBrowser(AttackerAddress);
        Assert.Equal("/Account/LoginWith2fa", (await browser.SignInAsync(user.Email!)).RedirectPath());
        for (var attempt = 1; attempt <= 5; attempt++) await SubmitRecoveryCodeAsync(browser, "WRONG-CODE");

        var refused = await SubmitRecoveryCodeAsync(browser, recoveryCode);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var signedIn = await SubmitRecoveryCodeAsync(browser, recoveryCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Error: Too many failed sign-in attempts for this account. Try again in 1 second.", await refused.Content.ReadAsStringAsync());
        Assert.Equal("/", signedIn.RedirectPath());
        var throttled = Assert.Single(await app.AuditEntriesAsync(AuditActions.SignInThrottled));
        Assert.Equal("{\"method\":\"recovery code\",\"limit\":\"account\",\"retryAfterSeconds\":1}", throttled.Details);
    }

    [Fact]
    public async Task Consecutive_failures_from_anywhere_up_to_the_lockout_limit_lock_the_account()
    {
        await using var app = new KeyDashboardFactory { Settings = new Dictionary<string, string> { ["KeyDashboard:SignIn:LockoutAfterFailures"] = "4" } };
        var user = await app.AddMemberAsync(Roles.Owner);

        // Each from its own address: only this limit counts across addresses.
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowser($"203.0.113.{attempt}").SignInAsync(user.Email!, WrongPassword)).StatusCode);
        var fourth = await app.CreateBrowser("203.0.113.4").SignInAsync(user.Email!, WrongPassword);
        var rightPassword = await app.CreateBrowser(OwnerAddress).SignInAsync(user.Email!, TestWorld.Password);

        Assert.Equal("/Account/Lockout", fourth.RedirectPath());
        Assert.Equal("/Account/Lockout", rightPassword.RedirectPath());
        Assert.Equal([.. Enumerable.Repeat(AuditActions.SignInFailed, 3), AuditActions.LockedOut, AuditActions.LockedOut],
            (await app.AuditEntriesAsync()).Where(e => e.ActorId == user.Id).Select(e => e.Action));
    }

    [Fact]
    public async Task An_address_with_no_account_locks_out_as_an_account_does_so_a_lockout_tells_nothing()
    {
        await using var app = new KeyDashboardFactory { Settings = new Dictionary<string, string> { ["KeyDashboard:SignIn:LockoutAfterFailures"] = "3" } };
        var known = (await app.AddMemberAsync(Roles.Member)).Email!;
        var unknown = $"nobody-{Guid.NewGuid():N}@acme.test";

        var forKnown = await LockoutAnswersAsync(app, known);
        var forUnknown = await LockoutAnswersAsync(app, unknown);

        Assert.Equal(["200 ", "200 ", "302 /Account/Lockout", "302 /Account/Lockout"], forKnown);
        Assert.Equal(forKnown, forUnknown);
        Assert.Equal([AuditActions.LockedOut, AuditActions.LockedOut],
            (await app.AuditEntriesAsync(AuditActions.LockedOut)).Where(e => e.ActorName == unknown).Select(e => e.Action));
    }

    private static async Task<List<string>> LockoutAnswersAsync(KeyDashboardFactory app, string email)
    {
        var answers = new List<string>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var response = await app.CreateBrowser($"203.0.113.{attempt}").SignInAsync(email, WrongPassword);
            answers.Add($"{(int)response.StatusCode} {response.RedirectPath()}");
        }
        return answers;
    }

    [Fact]
    public async Task By_default_an_account_locks_after_100_consecutive_failures_for_an_hour()
    {
        await using var app = new KeyDashboardFactory();

        var lockout = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout;

        Assert.Equal((true, 100, TimeSpan.FromHours(1)), (lockout.AllowedForNewUsers, lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan));
    }

    [Fact]
    public async Task A_known_and_an_unknown_address_get_identical_answers_for_failures_waits_and_the_address_limit()
    {
        await using var app = new KeyDashboardFactory { SignInFailuresPerAddress = 7, ConfigureServices = services => services.AddSingleton<TimeProvider>(_clock) };
        var known = (await app.AddMemberAsync(Roles.Owner)).Email!;
        var unknown = $"nobody-{Guid.NewGuid():N}@acme.test";

        var forKnown = await AnswersAsync(app, known, "203.0.113.10");
        var forUnknown = await AnswersAsync(app, unknown, "203.0.113.11");

        Assert.Equal(forKnown, forUnknown);
        Assert.Equal([.. Enumerable.Repeat(200, 5), 429, 200, 200, 429], forKnown.Select(a => a.Status));
        var unknownThrottled = (await app.AuditEntriesAsync(AuditActions.SignInThrottled)).Where(e => e.ActorName == unknown).ToList();
        Assert.Equal(2, unknownThrottled.Count);
        Assert.All(unknownThrottled, e => Assert.Equal(((Guid?)null, (string?)null, "203.0.113.11"), (e.WorkspaceId, e.ActorId, e.ClientAddress)));
    }

    /// <summary>Five failures for the account, one attempt during its wait, two failures for another name, one attempt over the address's limit.</summary>
    private static async Task<List<Answer>> AnswersAsync(KeyDashboardFactory app, string email, string address)
    {
        var browser = app.CreateBrowser(address);
        var answers = new List<Answer>();
        for (var attempt = 1; attempt <= 6; attempt++) answers.Add(await AnswerAsync(await browser.SignInAsync(email, WrongPassword), email));
        var other = $"other-{Guid.NewGuid():N}@acme.test";
        for (var attempt = 1; attempt <= 2; attempt++) answers.Add(await AnswerAsync(await browser.SignInAsync(other, WrongPassword), other));
        answers.Add(await AnswerAsync(await browser.SignInAsync(email, WrongPassword), email));
        return answers;
    }

    private static async Task<Answer> AnswerAsync(HttpResponseMessage response, string email)
    {
        // Without what is new on every page (Data Protection's payloads: tokens, the components' state) and the name typed.
        var body = ProtectedPayload().Replace(await response.Content.ReadAsStringAsync(), "").Replace(email, "EMAIL");
        return new((int)response.StatusCode, response.Headers.RetryAfter?.ToString(), response.Headers.Location?.ToString(), body);
    }

    private sealed record Answer(int Status, string? RetryAfter, string? Location, string Body);

    private static async Task<string> TurnOnTwoFactorAsync(KeyDashboardFactory app, string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyDashboard.Data.ApplicationUser>>();
        var stored = (await users.FindByIdAsync(userId))!;
        await users.ResetAuthenticatorKeyAsync(stored);
        await users.SetTwoFactorEnabledAsync(stored, true);
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(stored, 1))!.Single();
    }

    private static Task<HttpResponseMessage> SubmitRecoveryCodeAsync(HttpClient browser, string code) =>
        browser.SubmitFormAsync("/Account/LoginWithRecoveryCode", "login-with-recovery-code", new() { ["Input.RecoveryCode"] = code });

    [GeneratedRegex("CfDJ8[A-Za-z0-9_\\-+/=]+")]
    private static partial Regex ProtectedPayload();
}
