using System.Text.RegularExpressions;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;
using static KeyDashboard.Audit.AuditTrail;

namespace KeyDashboard.Tests.Audit;

/// <summary>Each action's details, stored as the app writes them, read back as lines a person reads.</summary>
public sealed partial class AuditDetailsTests
{
    private const string OwnerId = "5b0c7c52-0f3e-4d0e-9a57-1f1f5e0b7a11";
    private const string AdminId = "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    private const string KeyId = "key_AbCdEfGhIjKlMnOpQrSt";
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 3, 14, 5, 9, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly Dictionary<string, string> Names = new()
    {
        [OwnerId] = "owner@example.com",
        [AdminId] = "admin@example.com",
        [KeyId] = "ci-deploy",
    };

    public static TheoryData<string, string, string[]> Entries => new()
    {
        { AuditActions.KeyCreated, Details(new { environment = "test", owner = OwnerId, scopes = new[] { "keys:read", "usage:read" }, expiresAt = (DateTimeOffset?)At }),
            ["Environment: test", "Owner: owner@example.com", "Scopes: keys:read, usage:read", "Expires: 2026-12-03 14:05 UTC"] },
        { AuditActions.KeyCreated, Details(new { environment = "live", owner = OwnerId, scopes = Array.Empty<string>(), expiresAt = (DateTimeOffset?)null }),
            ["Environment: live", "Owner: owner@example.com", "Scopes: none", "Expires: never"] },
        { AuditActions.KeyRotated, Details(new { grace = RotationGrace.OneHour.ToString(), oldSecretValidUntil = (DateTimeOffset?)At }),
            ["Grace: 1 hour", "Old secret valid until: 2026-12-03 14:05 UTC"] },
        { AuditActions.KeyRotated, Details(new { grace = RotationGrace.OneDay.ToString(), oldSecretValidUntil = (DateTimeOffset?)At }),
            ["Grace: 24 hours", "Old secret valid until: 2026-12-03 14:05 UTC"] },
        { AuditActions.KeyRotated, Details(new { grace = RotationGrace.SevenDays.ToString(), oldSecretValidUntil = (DateTimeOffset?)At }),
            ["Grace: 7 days", "Old secret valid until: 2026-12-03 14:05 UTC"] },
        { AuditActions.KeyRotated, Details(new { grace = RotationGrace.None.ToString(), oldSecretValidUntil = (DateTimeOffset?)null }), ["Grace: none"] },
        { AuditActions.KeyRevoked, Details(new { reason = "Leaked in a ticket" }), ["Reason: Leaked in a ticket"] },
        { AuditActions.KeyRevoked, Details(new { reason = (string?)null, revokedTogether = 3 }), ["Reason: none given", "Revoked together: 3 keys"] },
        { AuditActions.KeyEdited, Details(new { oldName = "ci", name = "ci-deploy", descriptionChanged = false }), ["Name: ci → ci-deploy"] },
        { AuditActions.KeyEdited, Details(new { oldName = "ci", name = "ci", descriptionChanged = true }), ["Description: changed"] },
        { AuditActions.KeyEdited, Details(new { oldScopes = new[] { "keys:read" }, scopes = new[] { "keys:read", "usage:read" } }),
            ["Scopes: keys:read → keys:read, usage:read"] },
        { AuditActions.KeyLookup, Details(new { matched = true, oldSecret = true }), ["Matched a key: yes", "Matched by: the old secret, still in its grace period"] },
        { AuditActions.KeyLookup, Details(new { matched = false }), ["Matched a key: no"] },
        { AuditActions.KeyReportedLeaked, Details(new { reason = "Reported as leaked", secret = "previous" }), ["Reason: Reported as leaked", "Secret reported: previous"] },
        { AuditActions.LeakReportsSeen, Details(new { seenUpTo = 1234L }), [] },
        { AuditActions.SignedIn, Details(new { method = "password" }), ["Method: password"] },
        { AuditActions.SignInFailed, Details(new { method = "recovery code" }), ["Method: recovery code"] },
        { AuditActions.SignInThrottled, Details(new { method = "password", limit = "address", retryAfterSeconds = 300 }),
            ["Method: password", "Limit reached: attempts from this address", "Retry after: 5 minutes"] },
        { AuditActions.LockedOut, Details(new { method = "password", during = "reauthentication" }), ["Method: password", "While: confirming it was them"] },
        { AuditActions.Reauthenticated, Details(new { method = "authenticator" }), ["Method: authenticator"] },
        { AuditActions.ReauthenticationFailed, Details(new { lockedOut = true }), ["Locked out: yes"] },
        { AuditActions.SessionEnded, Details(new { reason = "ended_by_user" }), ["Reason: ended by user"] },
        { AuditActions.SessionEnded, Details(new { reason = "password_changed" }), ["Reason: password changed"] },
        { AuditActions.AuditExported, Details(new { actor = (string?)null, action = (string?)null, key = (string?)null, from = (DateTimeOffset?)null, to = (DateTimeOffset?)null }),
            ["Filters: none, the whole log"] },
        { AuditActions.AuditExported, Details(new { actor = "ci", action = AuditActions.KeyRevoked, key = KeyId, hideSignIns = true, from = (DateTimeOffset?)At, to = (DateTimeOffset?)null }),
            ["Actor filter: ci", "Action filter: Key revoked", "Key filter: ci-deploy", "Sign-ins hidden: yes", "From: 2026-12-03 14:05 UTC"] },
        { AuditActions.MemberInvited, Details(new { role = Roles.Admin, expiresAt = At, replacesPendingInvitation = true }),
            ["Role: admin", "Expires: 2026-12-03 14:05 UTC", "Replaces: an invitation still waiting"] },
        { AuditActions.MemberRoleChanged, Details(new { oldRole = Roles.Admin, role = Roles.Member }), ["Role: admin → member"] },
        { AuditActions.MemberRemoved, Details(new { role = Roles.Member, left = true }), ["Role: member", "How: left on their own"] },
        { AuditActions.MemberRemoved, Details(new { role = Roles.Member, left = false }), ["Role: member", "How: removed"] },
        { AuditActions.InvitationCancelled, Details(new { role = Roles.Member }), ["Role: member"] },
        { AuditActions.InvitationAccepted, Details(new { role = Roles.Member, invitedBy = AdminId }), ["Role: member", "Invited by: admin@example.com"] },
        { AuditActions.InvitationDeclined, Details(new { role = Roles.Member, invitedBy = "0f0e0d0c-0b0a-4909-8807-060504030201" }), ["Role: member", "Invited by: a former member"] },
        { AuditActions.WorkspaceCreated, Details(new { plan = "Free" }), ["Plan: Free"] },
        { AuditActions.WorkspaceRenamed, Details(new { oldName = "Acme", name = "Acme Corp" }), ["Name: Acme → Acme Corp"] },
        { AuditActions.WorkspacePlanChanged, Details(new { oldPlan = "Free", plan = "Paid" }), ["Plan: Free → Paid"] },
        { AuditActions.WorkspacePolicyChanged, Details(new { old = new KeyPolicy(365, null, true), policy = new KeyPolicy(90, 400, false) }),
            ["Default key lifetime: 365 days → 90 days", "Longest key lifetime: no limit → 400 days", "Keys that never expire: allowed → not allowed"] },
        { AuditActions.WorkspaceTwoFactorRequirementChanged, Details(new { required = true }), ["Two-factor authentication for owners and admins: required"] },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Each_actions_details_read_as_words_with_names_for_ids(string action, string details, string[] expected)
    {
        var lines = AuditDetails.Describe(action, details, Names).Select(l => l.ToString()).ToList();

        Assert.Equal(expected, lines);
        Assert.All(lines, line => Assert.DoesNotMatch(Unreadable(), line));
    }

    [Fact]
    public void Every_action_the_app_writes_is_among_the_examples()
    {
        var covered = Entries.Select(row => (string)row[0]).ToHashSet();
        // Written without details: nothing to read.
        string[] withoutDetails = [AuditActions.RevokedKeyUsed, AuditActions.SignedOut, AuditActions.PasswordResetLinkIssued, AuditActions.MemberAdded];

        Assert.Empty(AuditActionLabels.Known.Except(covered).Except(withoutDetails));
    }

    [Fact]
    public void A_field_it_was_never_taught_still_reads_as_words_not_json()
    {
        var details = Details(new { retryBudget = 3, nextTryAt = At, firstSeenFrom = "203.0.113.9", someUserId = OwnerId, some_flag = false });

        var lines = AuditDetails.Describe("something.new", details, Names).Select(l => l.ToString());

        Assert.Equal(["Retry budget: 3", "Next try at: 2026-12-03 14:05 UTC", "First seen from: 203.0.113.9", "Some user id: owner@example.com", "Some flag: no"], lines);
    }

    [Fact]
    public void An_id_it_cannot_name_never_shows_as_the_id()
    {
        var details = Details(new { owner = AdminId, key = "key_ZZZZZZZZZZZZZZZZZZZZ", session = "11111111-2222-4333-8444-555555555555" });

        var lines = AuditDetails.Describe(AuditActions.KeyCreated, details).Select(l => l.ToString());

        Assert.Equal(["Owner: a former member", "Key: a key not in this workspace", "Session: unknown"], lines);
    }

    [Theory]
    [InlineData("not json at all", "Details: not json at all")]
    [InlineData("[1, 2]", "Details: [1, 2]")]
    public void Details_that_are_not_an_object_show_as_text(string details, string expected) =>
        Assert.Equal(expected, Assert.Single(AuditDetails.Describe(AuditActions.KeyEdited, details)).ToString());

    [Fact]
    public void No_details_no_lines()
    {
        Assert.Empty(AuditDetails.Describe(AuditActions.SignedOut, null));
        Assert.Empty(AuditDetails.Describe(AuditActions.SignedOut, "{}"));
    }

    [Fact]
    public void A_time_is_kept_as_a_point_in_time_for_the_page_to_show_in_the_viewers_zone()
    {
        var line = Assert.Single(AuditDetails.Describe(AuditActions.KeyRotated, Details(new { oldSecretValidUntil = At })));

        Assert.Equal(At, line.Value.At);
    }

    [Fact]
    public void The_ids_named_are_found_for_one_lookup()
    {
        var details = Details(new { owner = OwnerId, key = KeyId, method = "password", role = "admin" });

        Assert.Equal([OwnerId, KeyId], AuditDetails.ReferencedIds(details));
    }

    /// <summary>JSON, a GUID, or a time with seven-digit fractions of a second.</summary>
    [GeneratedRegex(@"[{}\[\]""]|[0-9a-f]{8}-[0-9a-f]{4}-|\.\d{7}")]
    private static partial Regex Unreadable();
}
