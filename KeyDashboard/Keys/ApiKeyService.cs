using System.Linq.Expressions;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// The key lifecycle: create, rotate, revoke, edit, list. Every call checks the actor's membership and role
/// in the database (owners and admins manage, members read, anyone else gets "not found") and writes its
/// audit entry in the same transaction as the change. A key revoked by someone other than its owner is e-mailed to
/// the owner once committed (<see cref="RevokedKeyNotices"/>).
/// </summary>
public sealed class ApiKeyService(
    IDbContextFactory<AppDbContext> dbFactory,
    ApiKeyFormat format,
    ApiKeyHasher hasher,
    ScopeCatalog scopes,
    TimeProvider clock,
    WorkspaceChanges changes,
    RevokedKeyNotices revokedKeyNotices)
{
    public const string NotFoundMessage = "No such key in this workspace.";
    /// <summary>As many keys as one page of the list shows.</summary>
    public const int MaxBulkRevocation = KeyQuery.MaxPageSize;
    /// <summary>Why a rotation or an edit lost a race: the key is not the one its caller saw.</summary>
    public const string KeyChanged = "The key changed; reload it and try again.";

    private static string InRotation(DateTimeOffset oldSecretValidUntil) =>
        $"{KeyChanged} It is being rotated: its old secret stays valid until {oldSecretValidUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC, " +
        "and rotating again ends that now. To rotate it again, send If-Match with the key's current ETag.";

    public async Task<OperationResult<IssuedKey>> CreateAsync(Actor actor, Guid workspaceId, CreateKeyRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<IssuedKey>();

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var (name, nameError) = DisplayNames.Check(request.Name);
        var (description, descriptionError) = ApiKeyRules.Description(request.Description);
        var (expiresAt, expiryError) = ApiKeyRules.Expiry(workspace, request.ExpiresAt, request.NeverExpires, now);
        if (nameError is not null) errors["name"] = [nameError];
        if (descriptionError is not null) errors["description"] = [descriptionError];
        if (expiryError is not null) errors["expiresAt"] = [expiryError];
        if (!Enum.IsDefined(request.Environment)) errors["environment"] = ["Environment must be test or live."];
        else if (request.Environment == KeyEnvironment.Live && !workspace.AllowsLiveKeys)
            errors["environment"] = ["Upgrade required: live keys need the Paid plan."];

        var requestedScopes = (request.Scopes ?? []).Select(s => s?.Trim() ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknownScopes = requestedScopes.Where(s => !scopes.Contains(s)).ToList();
        if (requestedScopes.Count == 0) errors["scopes"] = ["Choose at least one scope."];
        else if (unknownScopes.Count > 0) errors["scopes"] = [$"Unknown scopes: {string.Join(", ", unknownScopes.Take(10))}."];

        var ownerUserId = string.IsNullOrEmpty(request.OwnerUserId) ? actor.UserId : request.OwnerUserId;
        var ownerRole = await WorkspaceAccess.RoleAsync(db, workspaceId, ownerUserId, ct);
        if (ownerRole is null) errors["ownerUserId"] = ["The owner must be a member of this workspace."];
        if (errors.Count > 0) return OperationResult<IssuedKey>.Invalid(errors);
        var actingKey = await ActingKeyAsync(db, actor, workspaceId, ct);
        if ((Permissions.CreateKey(access.Value, ownerRole, requestedScopes, actingKey?.Scopes)
             ?? Permissions.LiveKeyThroughKey(request.Environment, actingKey?.Environment)) is { } refusal)
            return OperationResult<IssuedKey>.Forbidden(refusal);
        if (request.Environment == KeyEnvironment.Live && await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct))
            return OperationResult<IssuedKey>.ReauthenticationRequired();

        var (key, secret) = new NewKey(workspaceId, name!, description!, ownerUserId, request.Environment, requestedScopes, expiresAt)
            .AddTo(db, format, hasher, actor, now);
        await db.SaveChangesAsync(ct);
        return OperationResult<IssuedKey>.Ok(new IssuedKey(await SummaryAsync(db, key.Id, now, ct), secret));
    }

    /// <summary>
    /// A new secret for the same key; the old one stays valid for the grace period. With <paramref name="seenVersion"/>
    /// (the <see cref="KeySummary.Version"/> the caller saw) a key changed since is a conflict; without, the rotation
    /// applies to the key as read here, unless the key is in another rotation's grace period. Either way, of two
    /// rotations that start from one version only one commits.
    /// </summary>
    public async Task<OperationResult<IssuedKey>> RotateAsync(Actor actor, Guid workspaceId, string keyId, RotationGrace grace,
        Guid? seenVersion = null, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(grace)) return OperationResult<IssuedKey>.Invalid("grace", "Grace period must be none, 1 hour, 24 hours or 7 days.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<IssuedKey>();

        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (key is null) return OperationResult<IssuedKey>.NotFound(NotFoundMessage);
        var ownerRole = await WorkspaceAccess.RoleAsync(db, workspaceId, key.OwnerUserId, ct);
        var actingKey = await ActingKeyAsync(db, actor, workspaceId, ct);
        if ((Permissions.RotateKey(access.Value, ownerRole, key.Scopes, actingKey?.Scopes)
             ?? Permissions.LiveKeyThroughKey(key.Environment, actingKey?.Environment)) is { } refusal)
            return OperationResult<IssuedKey>.Forbidden(refusal);
        if (seenVersion is { } seen && seen != key.ConcurrencyStamp) return OperationResult<IssuedKey>.Conflict(KeyChanged);
        var now = clock.GetUtcNow();
        if (KeyStateRefusals.Rotate(key.StatusAt(now)) is { } stateRefusal) return OperationResult<IssuedKey>.Conflict(stateRefusal);
        // Rotating again ends the deployed secret's grace at once, so only a caller who names the version it replaces
        // may: a blind rotation that arrives just after another one (a retry, a parallel caller) would otherwise cut it.
        if (seenVersion is null && key.PreviousSecretHash is not null && key.PreviousSecretValidUntil > now)
            return OperationResult<IssuedKey>.Conflict(InRotation(key.PreviousSecretValidUntil.Value));
        if (key.Environment == KeyEnvironment.Live && await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct))
            return OperationResult<IssuedKey>.ReauthenticationRequired();

        var secret = format.Generate(key.Environment);
        var graceDuration = grace.Duration();
        // A rotation during another rotation's grace period ends that older secret now: only one old secret is ever valid.
        key.PreviousSecretHash = graceDuration > TimeSpan.Zero ? key.SecretHash : null;
        key.PreviousSecretValidUntil = graceDuration > TimeSpan.Zero ? now + graceDuration : null;
        key.PreviousSecretLastUsedAt = null;
        key.SecretHash = hasher.Hash(secret);
        key.DisplayPrefix = format.DisplayPrefix(secret);
        key.RotatedAt = now;
        key.ConcurrencyStamp = Guid.NewGuid();
        AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyRotated, now, "key", key.Id, key.Name,
            new { grace = grace.ToString(), oldSecretValidUntil = key.PreviousSecretValidUntil });
        if (!await changes.TrySaveAsync<DbUpdateConcurrencyException>(db, [workspaceId], ct)) return OperationResult<IssuedKey>.Conflict(KeyChanged);
        return OperationResult<IssuedKey>.Ok(new IssuedKey(await SummaryAsync(db, key.Id, now, ct), secret));
    }

    /// <summary>Immediate and permanent. Revoking a revoked key changes nothing.</summary>
    public Task<OperationResult<RevokeOutcome>> RevokeAsync(Actor actor, Guid workspaceId, string keyId, string? reason, CancellationToken ct = default) =>
        RevokeAsync(actor, workspaceId, keyId, reason, attemptsLeft: 3, ct);

    private async Task<OperationResult<RevokeOutcome>> RevokeAsync(Actor actor, Guid workspaceId, string keyId, string? reason, int attemptsLeft, CancellationToken ct)
    {
        var (cleanReason, reasonError) = ApiKeyRules.Reason(reason);
        if (reasonError is not null) return OperationResult<RevokeOutcome>.Invalid("reason", reasonError);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<RevokeOutcome>();

        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (key is null) return OperationResult<RevokeOutcome>.NotFound(NotFoundMessage);
        var now = clock.GetUtcNow();
        if (key.RevokedAt is null)
        {
            key.Revoke(actor.UserId, cleanReason, now);
            AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyRevoked, now, "key", key.Id, key.Name,
                new { reason = key.RevokedReason });
            if (!await changes.TrySaveAsync<DbUpdateConcurrencyException>(db, [workspaceId], ct))
            {
                // Someone else wrote first. If theirs was a revocation too, the key is revoked: the outcome we wanted.
                // Anything else (a rotation, an edit) must not stop a revocation: revoke the fresh row instead.
                db.ChangeTracker.Clear();
                var revokedMeanwhile = await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.RevokedAt != null, ct);
                if (!revokedMeanwhile)
                    return attemptsLeft > 1
                        ? await RevokeAsync(actor, workspaceId, keyId, reason, attemptsLeft - 1, ct)
                        : OperationResult<RevokeOutcome>.Conflict("Someone else changed this key at the same moment. Try again.");
                return OperationResult<RevokeOutcome>.Ok(new RevokeOutcome(await SummaryAsync(db, keyId, now, ct), AlreadyRevoked: true));
            }
            await revokedKeyNotices.SendAsync(actor, [keyId]);
            return OperationResult<RevokeOutcome>.Ok(new RevokeOutcome(await SummaryAsync(db, keyId, now, ct), AlreadyRevoked: false));
        }
        return OperationResult<RevokeOutcome>.Ok(new RevokeOutcome(await SummaryAsync(db, keyId, now, ct), AlreadyRevoked: true));
    }

    /// <summary>
    /// Revokes several keys of one workspace in one transaction, with one audit entry per key, and announces the change
    /// once. All or nothing: if any id is not a key of this workspace, nothing is revoked. Revoked keys are skipped.
    /// </summary>
    public Task<OperationResult<BulkRevokeOutcome>> RevokeManyAsync(Actor actor, Guid workspaceId, IReadOnlyCollection<string> keyIds, string? reason, CancellationToken ct = default) =>
        RevokeManyAsync(actor, workspaceId, keyIds, reason, attemptsLeft: 3, ct);

    private async Task<OperationResult<BulkRevokeOutcome>> RevokeManyAsync(Actor actor, Guid workspaceId, IReadOnlyCollection<string> keyIds, string? reason, int attemptsLeft, CancellationToken ct)
    {
        var ids = (keyIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return OperationResult<BulkRevokeOutcome>.Invalid("keyIds", "Choose at least one key.");
        if (ids.Count > MaxBulkRevocation) return OperationResult<BulkRevokeOutcome>.Invalid("keyIds", $"Revoke at most {MaxBulkRevocation} keys at once.");
        var (cleanReason, reasonError) = ApiKeyRules.Reason(reason);
        if (reasonError is not null) return OperationResult<BulkRevokeOutcome>.Invalid("reason", reasonError);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<BulkRevokeOutcome>();

        var keys = await db.ApiKeys.Where(k => ids.Contains(k.Id) && k.WorkspaceId == workspaceId).ToListAsync(ct);
        if (keys.Count != ids.Count) return OperationResult<BulkRevokeOutcome>.NotFound(NotFoundMessage);
        var now = clock.GetUtcNow();
        var revoking = keys.Where(k => k.RevokedAt is null).ToList();
        foreach (var key in revoking)
        {
            key.Revoke(actor.UserId, cleanReason, now);
            AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyRevoked, now, "key", key.Id, key.Name,
                new { reason = key.RevokedReason, revokedTogether = revoking.Count });
        }
        if (revoking.Count > 0)
        {
            // Another write to one of the keys came first: nothing of ours committed. Start again on the fresh rows.
            if (!await changes.TrySaveAsync<DbUpdateConcurrencyException>(db, [workspaceId], ct))
                return attemptsLeft > 1
                    ? await RevokeManyAsync(actor, workspaceId, ids, reason, attemptsLeft - 1, ct)
                    : OperationResult<BulkRevokeOutcome>.Conflict("Someone else changed these keys at the same moment. Try again.");
            await revokedKeyNotices.SendAsync(actor, revoking.Select(k => k.Id).ToList());
        }
        var summaries = await Summaries(db, db.ApiKeys.Where(k => k.WorkspaceId == workspaceId && ids.Contains(k.Id)), now).OrderBy(k => k.Name).ToListAsync(ct);
        return OperationResult<BulkRevokeOutcome>.Ok(new BulkRevokeOutcome(summaries, Revoked: revoking.Count, AlreadyRevoked: keys.Count - revoking.Count));
    }

    /// <summary>
    /// Name, description, scopes and an earlier expiry; owner and environment are fixed at creation. Scopes are added only
    /// within the editor's own rights (<see cref="Permissions.AddKeyScopes"/>); the expiry only comes forward
    /// (<see cref="ApiKeyRules.EarlierExpiry"/>). A change of either is announced, so the API applies it at the key's next
    /// request. A revoked key is not edited. <paramref name="seenVersion"/> works as for <see cref="RotateAsync"/>.
    /// </summary>
    public async Task<OperationResult<KeySummary>> EditAsync(Actor actor, Guid workspaceId, string keyId, EditKeyRequest request,
        Guid? seenVersion = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var (name, nameError) = DisplayNames.Check(request.Name);
        var (description, descriptionError) = ApiKeyRules.Description(request.Description);
        if (nameError is not null) errors["name"] = [nameError];
        if (descriptionError is not null) errors["description"] = [descriptionError];
        var requestedScopes = request.Scopes is null ? null : ApiKeyRules.CleanScopes(request.Scopes);
        if (requestedScopes is { Count: 0 }) errors["scopes"] = ["Choose at least one scope."];
        else if (requestedScopes?.Where(s => !scopes.Contains(s)).ToList() is { Count: > 0 } unknown)
            errors["scopes"] = [$"Unknown scopes: {string.Join(", ", unknown.Take(10))}."];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<KeySummary>();
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (key is null) return OperationResult<KeySummary>.NotFound(NotFoundMessage);
        var now = clock.GetUtcNow();
        if (KeyStateRefusals.Edit(key.StatusAt(now)) is { } stateRefusal) return OperationResult<KeySummary>.Conflict(stateRefusal);
        var expiresAt = key.ExpiresAt;
        if (request.ExpiresAt is { } requestedExpiry && requestedExpiry != key.ExpiresAt)
        {
            (expiresAt, var expiryError) = ApiKeyRules.EarlierExpiry(key.ExpiresAt, requestedExpiry, now);
            if (expiryError is not null) errors["expiresAt"] = [expiryError];
        }
        if (errors.Count > 0) return OperationResult<KeySummary>.Invalid(errors);
        var newScopes = requestedScopes ?? ApiKeyRules.CleanScopes(key.Scopes);
        var scopesChanged = !key.Scopes.ToHashSet(StringComparer.Ordinal).SetEquals(newScopes);
        var added = newScopes.Except(key.Scopes, StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            // Widening a key gives it power, as creating or rotating one does: the same rules for a live key.
            var actingKey = await ActingKeyAsync(db, actor, workspaceId, ct);
            if ((Permissions.AddKeyScopes(access.Value, added, actingKey?.Scopes)
                 ?? Permissions.LiveKeyThroughKey(key.Environment, actingKey?.Environment)) is { } refusal)
                return OperationResult<KeySummary>.Forbidden(refusal);
        }
        if (seenVersion is { } seen && seen != key.ConcurrencyStamp) return OperationResult<KeySummary>.Conflict(KeyChanged);
        if (added.Count > 0 && key.Environment == KeyEnvironment.Live && await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct))
            return OperationResult<KeySummary>.ReauthenticationRequired();

        var powerChanged = scopesChanged || expiresAt != key.ExpiresAt;
        if (!powerChanged && key.Name == name && key.Description == description) return OperationResult<KeySummary>.Ok(await SummaryAsync(db, key.Id, now, ct));

        AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyEdited, now, "key", key.Id, name, EditDetails(key, name!, description!, scopesChanged ? newScopes : null, expiresAt));
        (key.Name, key.Description, key.ExpiresAt) = (name!, description!, expiresAt);
        if (scopesChanged) key.Scopes = newScopes;
        key.ConcurrencyStamp = Guid.NewGuid();
        // Scopes and expiry decide what the key may do: announced like a revocation, so no cache keeps the old power.
        var saved = powerChanged
            ? await changes.TrySaveAsync<DbUpdateConcurrencyException>(db, [workspaceId], ct)
            : await db.TrySaveChangesAsync<DbUpdateConcurrencyException>(ct);
        return saved ? OperationResult<KeySummary>.Ok(await SummaryAsync(db, key.Id, now, ct)) : OperationResult<KeySummary>.Conflict(KeyChanged);
    }

    /// <summary>What an edit changed, old and new: the name always, the rest only when it changed.</summary>
    private static Dictionary<string, object?> EditDetails(ApiKey key, string name, string description, IReadOnlyList<string>? newScopes, DateTimeOffset? expiresAt)
    {
        var details = new Dictionary<string, object?> { ["oldName"] = key.Name, ["name"] = name, ["descriptionChanged"] = key.Description != description };
        if (newScopes is not null) (details["oldScopes"], details["scopes"]) = (ApiKeyRules.CleanScopes(key.Scopes), newScopes);
        if (expiresAt != key.ExpiresAt) (details["oldExpiresAt"], details["expiresAt"]) = (key.ExpiresAt, expiresAt);
        return details;
    }

    public async Task<OperationResult<KeySummary>> GetAsync(Actor actor, Guid workspaceId, string keyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<KeySummary>();
        var now = clock.GetUtcNow();
        var summary = await Summaries(db, db.ApiKeys.Where(k => k.Id == keyId && k.WorkspaceId == workspaceId), now).SingleOrDefaultAsync(ct);
        return summary is null ? OperationResult<KeySummary>.NotFound(NotFoundMessage) : OperationResult<KeySummary>.Ok(summary);
    }

    /// <summary>One page of the workspace's keys; every member may read them.</summary>
    public async Task<OperationResult<KeyPage>> ListAsync(Actor actor, Guid workspaceId, KeyQuery query, CancellationToken ct = default)
    {
        if (PageBounds.Refusal<KeyPage>(query.Page, query.PageSize, KeyQuery.MaxPageSize) is { } outOfBounds) return outOfBounds;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<KeyPage>();

        var now = clock.GetUtcNow();
        var keys = KeyFilters.Apply(db, db.ApiKeys.Where(k => k.WorkspaceId == workspaceId), query, now);
        var total = await keys.CountAsync(ct);
        var page = await Summaries(db, KeyFilters.Sort(db, keys, query).Skip(query.Page * query.PageSize).Take(query.PageSize), now).ToListAsync(ct);
        return OperationResult<KeyPage>.Ok(new KeyPage(page, total));
    }

    /// <summary>What revoking the key would stop: its last use and its requests today and yesterday (UTC days).</summary>
    public async Task<OperationResult<KeyImpact>> ImpactAsync(Actor actor, Guid workspaceId, string keyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<KeyImpact>();
        var key = await db.ApiKeys.Where(k => k.Id == keyId && k.WorkspaceId == workspaceId)
            .Select(k => new { k.LastUsedAt, k.LastUsedFrom }).SingleOrDefaultAsync(ct);
        if (key is null) return OperationResult<KeyImpact>.NotFound(NotFoundMessage);
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var recent = await db.KeyUsageDays.Where(u => u.ApiKeyId == keyId && u.Day >= yesterday).SumAsync(u => u.Count, ct);
        return OperationResult<KeyImpact>.Ok(new KeyImpact(key.LastUsedAt, key.LastUsedFrom, recent));
    }

    /// <summary>The impact of revoking each of several keys, by key id; ids of other workspaces are left out.</summary>
    public async Task<OperationResult<IReadOnlyDictionary<string, KeyImpact>>> ImpactAsync(Actor actor, Guid workspaceId, IReadOnlyCollection<string> keyIds, CancellationToken ct = default)
    {
        var ids = (keyIds ?? []).Distinct(StringComparer.Ordinal).Take(MaxBulkRevocation).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct);
        if (!access.Succeeded) return access.As<IReadOnlyDictionary<string, KeyImpact>>();
        var keys = await db.ApiKeys.Where(k => ids.Contains(k.Id) && k.WorkspaceId == workspaceId)
            .Select(k => new { k.Id, k.LastUsedAt, k.LastUsedFrom }).ToListAsync(ct);
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var found = keys.Select(k => k.Id).ToList();
        var recent = await db.KeyUsageDays.Where(u => found.Contains(u.ApiKeyId) && u.Day >= yesterday)
            .GroupBy(u => u.ApiKeyId).Select(g => new { g.Key, Count = g.Sum(u => u.Count) })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return OperationResult<IReadOnlyDictionary<string, KeyImpact>>.Ok(keys.ToDictionary(
            k => k.Id, k => new KeyImpact(k.LastUsedAt, k.LastUsedFrom, recent.GetValueOrDefault(k.Id))));
    }

    /// <summary>
    /// The scopes and environment of the key making the call, read here rather than taken from the request, so nothing a
    /// caller sends can widen them; null when a person acts. A key id that is not of this workspace holds nothing.
    /// </summary>
    private static async Task<ActingKey?> ActingKeyAsync(AppDbContext db, Actor actor, Guid workspaceId, CancellationToken ct) =>
        actor.KeyId is not { } keyId ? null
        : await db.ApiKeys.Where(k => k.Id == keyId && k.WorkspaceId == workspaceId)
              .Select(k => new ActingKey(k.Scopes, k.Environment)).SingleOrDefaultAsync(ct)
          ?? new ActingKey([], KeyEnvironment.Test);

    private sealed record ActingKey(IReadOnlyCollection<string> Scopes, KeyEnvironment Environment);

    private static Task<KeySummary> SummaryAsync(AppDbContext db, string keyId, DateTimeOffset now, CancellationToken ct) =>
        Summaries(db, db.ApiKeys.Where(k => k.Id == keyId), now).SingleAsync(ct);

    internal static IQueryable<KeySummary> Summaries(AppDbContext db, IQueryable<ApiKey> keys, DateTimeOffset now)
    {
        Expression<Func<ApiKey, KeyStatus, bool, KeySummary>> summary = (k, status, isStale) => new KeySummary
        {
            Id = k.Id,
            Name = k.Name,
            Description = k.Description,
            DisplayPrefix = k.DisplayPrefix,
            OwnerUserId = k.OwnerUserId,
            OwnerName = k.Owner.UserName ?? k.Owner.Email ?? k.OwnerUserId,
            OwnerRole = db.Memberships.Where(m => m.WorkspaceId == k.WorkspaceId && m.UserId == k.OwnerUserId).Select(m => m.Role).FirstOrDefault(),
            Environment = k.Environment,
            Scopes = k.Scopes,
            Status = status,
            CreatedAt = k.CreatedAt,
            ExpiresAt = k.ExpiresAt,
            RevokedAt = k.RevokedAt,
            RevokedReason = k.RevokedReason,
            UsageCount = k.UsageCount,
            LastUsedAt = k.LastUsedAt,
            LastUsedFrom = k.LastUsedFrom,
            RotatedAt = k.RotatedAt,
            PreviousSecretValidUntil = k.PreviousSecretHash != null && k.PreviousSecretValidUntil > now ? k.PreviousSecretValidUntil : null,
            PreviousSecretLastUsedAt = k.PreviousSecretLastUsedAt,
            IsStale = isStale,
            Version = k.ConcurrencyStamp,
        };
        return keys.Select(summary.Apply(KeyStatuses.StatusAt(now), KeyStatuses.StaleAt(now)));
    }
}
