using System.Security.Cryptography;
using System.Text;
using KeyDashboard.Keys;

namespace KeyDashboard.Tests.Keys;

public sealed class ApiKeyHasherTests
{
    private static readonly byte[] Pepper = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherPepper = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();
    private readonly string _key = new ApiKeyFormat().Generate(KeyEnvironment.Live);

    [Fact]
    public void The_same_key_and_pepper_always_give_the_same_hash()
    {
        var first = new ApiKeyHasher(Pepper).Hash(_key);
        var second = new ApiKeyHasher(Pepper.ToArray()).Hash(_key);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_different_pepper_gives_a_different_hash()
    {
        var hash = new ApiKeyHasher(Pepper).Hash(_key);
        var otherHash = new ApiKeyHasher(OtherPepper).Hash(_key);

        Assert.NotEqual(hash, otherHash);
    }

    [Fact]
    public void Different_keys_give_different_hashes()
    {
        var hasher = new ApiKeyHasher(Pepper);

        var hash = hasher.Hash(_key);
        var otherHash = hasher.Hash(new ApiKeyFormat().Generate(KeyEnvironment.Live));

        Assert.NotEqual(hash, otherHash);
    }

    [Fact]
    public void The_hash_is_32_bytes()
    {
        var hash = new ApiKeyHasher(Pepper).Hash(_key);

        Assert.Equal(32, hash.Length);
        Assert.Equal(ApiKeyHasher.HashLength, hash.Length);
    }

    [Fact]
    public void The_hash_is_hmac_sha256_under_the_pepper_and_not_a_plain_sha256()
    {
        var keyBytes = Encoding.UTF8.GetBytes(_key);

        var hash = new ApiKeyHasher(Pepper).Hash(_key);

        Assert.Equal(HMACSHA256.HashData(Pepper, keyBytes), hash);
        Assert.NotEqual(SHA256.HashData(keyBytes), hash);
        Assert.NotEqual(SHA256.HashData([.. Pepper, .. keyBytes]), hash);
        Assert.NotEqual(SHA256.HashData([.. keyBytes, .. Pepper]), hash);
    }

    [Fact]
    public void Changing_the_pepper_array_after_construction_does_not_change_the_hashes()
    {
        var pepper = Pepper.ToArray();
        var hasher = new ApiKeyHasher(pepper);
        var before = hasher.Hash(_key);

        Array.Fill(pepper, (byte)0);

        Assert.Equal(before, hasher.Hash(_key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    public void A_pepper_shorter_than_32_bytes_is_refused(int length)
    {
        var create = () => new ApiKeyHasher(new byte[length]);

        Assert.Throws<ArgumentException>(create);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void A_pepper_of_32_bytes_or_more_is_accepted(int length)
    {
        var pepper = RandomNumberGenerator.GetBytes(length);

        var hash = new ApiKeyHasher(pepper).Hash(_key);

        Assert.Equal(HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(_key)), hash);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(84)] // the largest input hashed from a stack buffer (UTF-8 worst case 255 bytes)
    [InlineData(85)] // the smallest one hashed from a heap buffer
    [InlineData(257)]
    [InlineData(300)]
    [InlineData(10_000)]
    public void Inputs_of_any_length_hash_like_hmac_sha256(int length)
    {
        var ascii = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
        var nonAscii = string.Concat(Enumerable.Range(0, length).Select(i => i % 3 == 0 ? 'é' : i % 3 == 1 ? '€' : 'x'));
        var hasher = new ApiKeyHasher(Pepper);

        var asciiHash = hasher.Hash(ascii);
        var nonAsciiHash = hasher.Hash(nonAscii);

        Assert.Equal(HMACSHA256.HashData(Pepper, Encoding.UTF8.GetBytes(ascii)), asciiHash);
        Assert.Equal(HMACSHA256.HashData(Pepper, Encoding.UTF8.GetBytes(nonAscii)), nonAsciiHash);
    }

    [Fact]
    public void Long_inputs_that_differ_only_in_the_last_character_hash_differently()
    {
        var hasher = new ApiKeyHasher(Pepper);
        var input = new string('a', 1_000);

        Assert.NotEqual(hasher.Hash(input + "a"), hasher.Hash(input + "b"));
    }

    [Fact]
    public void Equal_hashes_compare_equal()
    {
        var hasher = new ApiKeyHasher(Pepper);

        Assert.True(ApiKeyHasher.HashesEqual(hasher.Hash(_key), hasher.Hash(_key)));
    }

    [Fact]
    public void Hashes_differing_in_one_bit_compare_unequal()
    {
        var hash = new ApiKeyHasher(Pepper).Hash(_key);
        for (var bit = 0; bit < hash.Length * 8; bit++)
        {
            var changed = hash.ToArray();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.False(ApiKeyHasher.HashesEqual(hash, changed), $"bit {bit}");
        }
    }

    [Fact]
    public void Hashes_of_different_lengths_compare_unequal()
    {
        var hash = new ApiKeyHasher(Pepper).Hash(_key);

        Assert.False(ApiKeyHasher.HashesEqual(hash, hash.AsSpan(0, 31)));
        Assert.False(ApiKeyHasher.HashesEqual(hash, [.. hash, 0]));
        Assert.False(ApiKeyHasher.HashesEqual(hash, []));
    }
}
