using KeyDashboard.Keys;

namespace KeyDashboard.Tests.Keys;

/// <summary>The hand-off after a rotation: complete once nothing has used the old secret for 24 hours.</summary>
public sealed class KeyHandOffTests
{
    private static readonly DateTimeOffset Rotated = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ValidUntil = Rotated.AddDays(7);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Never_used_old_secret_is_complete_exactly_24_hours_after_the_rotation()
    {
        Assert.Equal(HandOffState.NotUsedSinceRotation, State(lastUsed: null, now: Rotated.AddHours(24) - Tick));
        Assert.Equal(HandOffState.Complete, State(lastUsed: null, now: Rotated.AddHours(24)));
    }

    [Fact]
    public void A_used_old_secret_is_complete_exactly_24_hours_after_its_last_use()
    {
        var lastUse = Rotated.AddHours(30);
        Assert.Equal(HandOffState.OldSecretInUse, State(lastUse, now: lastUse.AddHours(24) - Tick));
        Assert.Equal(HandOffState.Complete, State(lastUse, now: lastUse.AddHours(24)));
    }

    [Fact]
    public void The_grace_period_ends_at_its_deadline()
    {
        Assert.Equal(HandOffState.Complete, State(lastUsed: null, now: ValidUntil - Tick));
        Assert.Equal(HandOffState.GraceEnded, State(lastUsed: null, now: ValidUntil));
        Assert.Equal(HandOffState.GraceEnded, State(lastUsed: ValidUntil.AddMinutes(-5), now: ValidUntil));
    }

    [Fact]
    public void Nothing_to_show_without_a_rotation_with_grace_or_after_revocation()
    {
        Assert.Null(KeyHandOff.Of(null, null, null, null, Rotated));
        Assert.Null(KeyHandOff.Of(Rotated, null, null, null, Rotated.AddHours(1)));
        Assert.Null(KeyHandOff.Of(Rotated, ValidUntil, null, Rotated.AddHours(1), Rotated.AddHours(2)));
    }

    private static HandOffState State(DateTimeOffset? lastUsed, DateTimeOffset now) =>
        KeyHandOff.Of(Rotated, ValidUntil, lastUsed, revokedAt: null, now)!.State;
}
