using KeyDashboard.Audit;
using KeyDashboard.Data;

namespace KeyDashboard.Keys;

/// <summary>
/// A key about to be made, its fields already checked. <see cref="AddTo"/> is the one place a key row and its
/// key.created audit entry are built: for <see cref="ApiKeyService.CreateAsync"/> and for the demo data alike.
/// </summary>
internal sealed record NewKey(Guid WorkspaceId, string Name, string Description, string OwnerUserId,
    KeyEnvironment Environment, List<string> Scopes, DateTimeOffset? ExpiresAt)
{
    /// <summary>Adds the key and its audit entry to <paramref name="db"/>, to be saved together; the secret returned is its only copy.</summary>
    public (ApiKey Key, string Secret) AddTo(AppDbContext db, ApiKeyFormat format, ApiKeyHasher hasher, Actor createdBy, DateTimeOffset at)
    {
        var secret = format.Generate(Environment);
        var key = new ApiKey
        {
            Id = format.NewKeyId(),
            WorkspaceId = WorkspaceId,
            Name = Name,
            Description = Description,
            OwnerUserId = OwnerUserId,
            Environment = Environment,
            Scopes = Scopes,
            DisplayPrefix = format.DisplayPrefix(secret),
            SecretHash = hasher.Hash(secret),
            CreatedByUserId = createdBy.UserId,
            CreatedAt = at,
            ExpiresAt = ExpiresAt,
        };
        db.ApiKeys.Add(key);
        AuditTrail.Add(db, createdBy, WorkspaceId, AuditActions.KeyCreated, at, "key", key.Id, key.Name, new
        {
            environment = key.Environment.ToString().ToLowerInvariant(),
            owner = OwnerUserId,
            scopes = key.Scopes,
            expiresAt = key.ExpiresAt,
        });
        return (key, secret);
    }
}
