using System.Runtime.InteropServices;
using KeyDashboard.Keys;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>A key's secret hash as a dictionary key: compared as four words, with no string to build per request.</summary>
public readonly record struct SecretHash(UInt128 First, UInt128 Second)
{
    public static SecretHash Of(ApiKeyHasher hasher, ReadOnlySpan<char> presented)
    {
        Span<byte> hash = stackalloc byte[ApiKeyHasher.HashLength];
        hasher.Hash(presented, hash);
        return new SecretHash(MemoryMarshal.Read<UInt128>(hash), MemoryMarshal.Read<UInt128>(hash[16..]));
    }
}
