using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// The app over HTTP with the <see cref="TestWorld"/> and API keys in every state an integration may present. Keys
/// are made through the app's own services; states no request produces yet (expired, a grace period that has run
/// out) are set on the row before the key is ever used.
/// </summary>
public sealed class AppWithKeysInEveryState : KeyDashboardFactory, IAsyncLifetime
{
    public static readonly string[] AllScopes = ["audit:read", "keys:delete", "keys:read", "keys:write", "members:read", "usage:read", "workspace:read"];

    /// <summary>The owner's key with every built-in read, write and delete scope the endpoints need.</summary>
    public IssuedKey OwnerKey { get; private set; } = null!;
    public IssuedKey AdminKey { get; private set; } = null!;
    /// <summary>A member's key holding every scope, writes included: the role must still refuse the writes.</summary>
    public IssuedKey MemberKeyWithWriteScopes { get; private set; } = null!;
    /// <summary>Only <c>workspace:read</c>: lacks every scope the endpoints here ask for.</summary>
    public IssuedKey KeyWithoutScopes { get; private set; } = null!;
    public IssuedKey OtherWorkspaceKey { get; private set; } = null!;
    public string ExpiredSecret { get; private set; } = null!;
    public string RevokedSecret { get; private set; } = null!;
    public string RotatedWithinGraceOldSecret { get; private set; } = null!;
    public string RotatedAfterGraceOldSecret { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OwnerKey = await this.CreateKeyAsync(WorldKeys.KeyRequest("owner-all", AllScopes));
        AdminKey = await this.CreateKeyAsync(WorldKeys.KeyRequest("admin-all", AllScopes, owner: World.Admin));
        MemberKeyWithWriteScopes = await this.CreateKeyAsync(WorldKeys.KeyRequest("member-all", AllScopes, owner: World.Member));
        KeyWithoutScopes = await this.CreateKeyAsync(WorldKeys.KeyRequest("workspace-reader", ["workspace:read"]));
        OtherWorkspaceKey = await this.CreateKeyAsync(WorldKeys.KeyRequest("other-all", AllScopes), by: World.OtherAdmin, workspace: World.OtherWorkspace);

        var expired = await this.CreateKeyAsync(WorldKeys.KeyRequest("expired", AllScopes));
        await this.UpdateKeyRowAsync(expired.Key.Id, k => k.ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1));
        ExpiredSecret = expired.Secret;

        var revoked = await this.CreateKeyAsync(WorldKeys.KeyRequest("revoked", AllScopes));
        await this.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, revoked.Key.Id, "test"));
        RevokedSecret = revoked.Secret;

        var withinGrace = await this.CreateKeyAsync(WorldKeys.KeyRequest("rotated-within-grace", AllScopes));
        await this.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, withinGrace.Key.Id, RotationGrace.SevenDays));
        RotatedWithinGraceOldSecret = withinGrace.Secret;

        var afterGrace = await this.CreateKeyAsync(WorldKeys.KeyRequest("rotated-after-grace", AllScopes));
        await this.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, afterGrace.Key.Id, RotationGrace.OneHour));
        await this.UpdateKeyRowAsync(afterGrace.Key.Id, k => k.PreviousSecretValidUntil = DateTimeOffset.UtcNow.AddMinutes(-1));
        RotatedAfterGraceOldSecret = afterGrace.Secret;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
