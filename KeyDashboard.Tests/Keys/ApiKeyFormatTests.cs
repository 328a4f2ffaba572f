using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using KeyDashboard.Keys;

namespace KeyDashboard.Tests.Keys;

public sealed class ApiKeyFormatTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // \z rather than $: in .NET, $ also matches before a trailing newline.
    private static readonly Regex KdKeyPattern = new(@"^kd_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}\z");
    private static readonly Regex KeyIdPattern = new(@"^key_[0-9A-Za-z]{20}\z");

    /// <summary>32 random characters of a fixed key; with <see cref="WithChecksum"/> it gives keys whose checksum is right.</summary>
    private const string Random32 = "AbC4dEf5GhI6jKl7MnO8pQr9StU0vWx1";
    private static readonly string ValidLiveKey = WithChecksum("kd_live_" + Random32);

    private readonly ApiKeyFormat _format = new();

    [Fact]
    public void A_hundred_thousand_generated_keys_are_unique_well_formed_and_parse_to_their_environment()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var generated = 0;

        foreach (var environment in new[] { KeyEnvironment.Live, KeyEnvironment.Test })
            for (var i = 0; i < 50_000; i++)
            {
                var key = _format.Generate(environment);
                generated++;
                keys.Add(key);
                Assert.Matches(KdKeyPattern, key);
                Assert.StartsWith(environment == KeyEnvironment.Live ? "kd_live_" : "kd_test_", key, StringComparison.Ordinal);
                Assert.True(_format.TryParse(key, out var parsed), key);
                Assert.Equal(environment, parsed);
            }

        Assert.Equal(100_000, generated);
        Assert.Equal(generated, keys.Count);
    }

    [Fact]
    public void The_checksum_is_the_base62_crc32_of_everything_before_it()
    {
        // What secret scanners rely on; the malformed-input tests below build keys the same way.
        for (var i = 0; i < 1_000; i++)
        {
            var key = _format.Generate(i % 2 == 0 ? KeyEnvironment.Live : KeyEnvironment.Test);

            Assert.Equal(WithChecksum(key[..^ApiKeyFormat.ChecksumLength]), key);
        }
    }

    [Fact]
    public void Every_single_character_change_anywhere_in_a_key_fails_to_parse()
    {
        var replacements = Base62 + "_-+/=. é\0";
        var accepted = new List<string>();
        var tried = 0;

        for (var k = 0; k < 40; k++)
        {
            var key = _format.Generate(k % 2 == 0 ? KeyEnvironment.Live : KeyEnvironment.Test);
            for (var position = 0; position < key.Length; position++)
                foreach (var replacement in replacements)
                {
                    if (replacement == key[position]) continue;
                    var changed = string.Concat(key.AsSpan(0, position), [replacement], key.AsSpan(position + 1));
                    tried++;
                    if (_format.IsWellFormed(changed)) accepted.Add(changed);
                }
        }

        Assert.True(tried > 40 * 46 * 60, $"only {tried} variants tried");
        Assert.Empty(accepted);
    }

    [Fact]
    public void Swapping_two_adjacent_different_characters_fails_to_parse()
    {
        var accepted = new List<string>();
        for (var k = 0; k < 200; k++)
        {
            var key = _format.Generate(KeyEnvironment.Live);
            for (var position = 0; position + 1 < key.Length; position++)
            {
                if (key[position] == key[position + 1]) continue;
                var chars = key.ToCharArray();
                (chars[position], chars[position + 1]) = (chars[position + 1], chars[position]);
                if (_format.IsWellFormed(chars)) accepted.Add(new string(chars));
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void The_reference_key_used_for_malformed_input_is_itself_valid()
    {
        Assert.True(_format.TryParse(ValidLiveKey, out var environment));
        Assert.Equal(KeyEnvironment.Live, environment);
        Assert.True(_format.IsWellFormed(WithChecksum("kd_test_" + Random32)));
    }

    public static TheoryData<string, string> MalformedKeys() => new()
    {
        { "empty", "" },
        { "whitespace only", "   " },
        { "prefix only", "kd_live_" },
        { "trailing newline", ValidLiveKey + "\n" },
        { "trailing CRLF", ValidLiveKey + "\r\n" },
        { "trailing space", ValidLiveKey + " " },
        { "leading space", " " + ValidLiveKey },
        { "leading tab", "\t" + ValidLiveKey },
        { "quoted", "\"" + ValidLiveKey + "\"" },
        { "checksum missing", ValidLiveKey[..^ApiKeyFormat.ChecksumLength] },
        { "one character short", ValidLiveKey[..^1] },
        { "one character long", ValidLiveKey + "a" },
        { "key twice", ValidLiveKey + ValidLiveKey },
        { "31 random characters, correct checksum", WithChecksum("kd_live_" + Random32[..^1]) },
        { "33 random characters, correct checksum", WithChecksum("kd_live_" + Random32 + "Z") },
        { "wrong environment, correct checksum", WithChecksum("kd_prod_" + Random32) },
        { "environment in capitals, correct checksum", WithChecksum("kd_LIVE_" + Random32) },
        { "environment capitalised, correct checksum", WithChecksum("kd_Live_" + Random32) },
        { "prefix in capitals, correct checksum", WithChecksum("KD_live_" + Random32) },
        { "everything in capitals", WithChecksum("kd_live_" + Random32).ToUpperInvariant() },
        { "everything in lower case", WithChecksum("kd_live_" + Random32).ToLowerInvariant() },
        { "other product's prefix, correct checksum", WithChecksum("sk_live_" + Random32) },
        { "hyphens instead of underscores, correct checksum", WithChecksum("kd-live-" + Random32) },
        { "no separators, correct checksum", WithChecksum("kdlive" + Random32 + "AB") },
        { "underscore in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "_") },
        { "hyphen in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "-") },
        { "space in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + " ") },
        { "NUL in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "\0") },
        // Encoding.ASCII turns any non-ASCII character into '?', so these checksums are "right" too.
        { "accented letter in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "é") },
        { "fullwidth digit in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "\uFF11") },
        { "Arabic-Indic digit in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "\u0661") },
        { "Cyrillic a in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "\u0430") },
        { "question mark in the random part, correct checksum", WithChecksum("kd_live_" + Random32[..^1] + "?") },
        { "non-base62 character in the checksum", ValidLiveKey[..^1] + "_" },
        { "right length, all NUL", new string('\0', ValidLiveKey.Length) },
        { "right length, all letters", new string('a', ValidLiveKey.Length) },
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void Malformed_input_is_rejected(string description, string input)
    {
        var accepted = _format.TryParse(input, out _);

        Assert.False(accepted, description);
    }

    [Fact]
    public void A_null_string_is_rejected()
    {
        string? input = null;

        Assert.False(_format.TryParse(input, out _));
        Assert.False(_format.IsWellFormed(input));
    }

    [Theory]
    [InlineData(KeyEnvironment.Live, "kd_live_")]
    [InlineData(KeyEnvironment.Test, "kd_test_")]
    public void The_display_prefix_is_the_environment_prefix_and_four_random_characters(KeyEnvironment environment, string expectedStart)
    {
        var key = _format.Generate(environment);

        var displayPrefix = _format.DisplayPrefix(key);

        Assert.Equal(expectedStart + key.Substring(expectedStart.Length, 4), displayPrefix);
        Assert.Equal(expectedStart.Length + ApiKeyFormat.DisplayRandomLength, displayPrefix.Length);
        Assert.Equal(12, displayPrefix.Length);
    }

    [Fact]
    public void A_custom_prefix_makes_keys_of_its_own_and_refuses_kd_keys()
    {
        var acme = new ApiKeyFormat("acme");

        var live = acme.Generate(KeyEnvironment.Live);
        var test = acme.Generate(KeyEnvironment.Test);

        Assert.Matches(@"^acme_live_[0-9A-Za-z]{38}\z", live);
        Assert.Matches(@"^acme_test_[0-9A-Za-z]{38}\z", test);
        Assert.Equal(live.Length, acme.KeyLength(KeyEnvironment.Live));
        Assert.True(acme.TryParse(live, out var liveEnvironment));
        Assert.Equal(KeyEnvironment.Live, liveEnvironment);
        Assert.True(acme.TryParse(test, out var testEnvironment));
        Assert.Equal(KeyEnvironment.Test, testEnvironment);
        Assert.Equal("acme_live_" + live.Substring(10, 4), acme.DisplayPrefix(live));
        Assert.Equal(WithChecksum(live[..^6]), live);

        Assert.False(acme.IsWellFormed(_format.Generate(KeyEnvironment.Live)));
        Assert.False(acme.IsWellFormed(ValidLiveKey));
        Assert.False(_format.IsWellFormed(live));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("kd_")]
    [InlineData("k-d")]
    [InlineData("k d")]
    [InlineData("kd\n")]
    [InlineData("kdé")]
    [InlineData("abcdefghijklmnopq")] // 17 characters
    public void An_invalid_prefix_is_refused(string? prefix)
    {
        var create = () => new ApiKeyFormat(prefix!);

        Assert.Throws<ArgumentException>(create);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("ACME2")]
    [InlineData("abcdefghijklmnop")] // 16 characters
    public void A_prefix_of_one_to_sixteen_ascii_letters_or_digits_is_accepted(string prefix)
    {
        var format = new ApiKeyFormat(prefix);

        Assert.True(format.IsWellFormed(format.Generate(KeyEnvironment.Test)));
    }

    [Fact]
    public void Key_ids_are_key_underscore_and_twenty_base62_characters_and_unique()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => _format.NewKeyId()).ToList();

        Assert.All(ids, id => Assert.Matches(KeyIdPattern, id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_base62_character_is_about_equally_likely_at_every_random_position()
    {
        // Chi-square with 61 degrees of freedom: mean 61, standard deviation 11. Above 150 or below 15 has a
        // chance of about 1e-9 per position for a uniform generator, so this does not flake; a constant, a
        // counter or a generator with modulo bias (byte % 62) lands far outside.
        const int keyCount = 20_000;
        var prefixLength = _format.EnvironmentPrefix(KeyEnvironment.Live).Length;
        var counts = new int[ApiKeyFormat.RandomLength, Base62.Length];
        for (var i = 0; i < keyCount; i++)
        {
            var key = _format.Generate(i % 2 == 0 ? KeyEnvironment.Live : KeyEnvironment.Test);
            for (var position = 0; position < ApiKeyFormat.RandomLength; position++)
                counts[position, Base62.IndexOf(key[prefixLength + position])]++;
        }

        var expected = (double)keyCount / Base62.Length;
        var pooled = new double[Base62.Length];
        for (var position = 0; position < ApiKeyFormat.RandomLength; position++)
        {
            var chiSquare = 0.0;
            for (var c = 0; c < Base62.Length; c++)
            {
                chiSquare += Math.Pow(counts[position, c] - expected, 2) / expected;
                pooled[c] += counts[position, c];
            }
            Assert.InRange(chiSquare, 15, 150);
        }

        var pooledExpected = expected * ApiKeyFormat.RandomLength;
        var pooledChiSquare = pooled.Sum(count => Math.Pow(count - pooledExpected, 2) / pooledExpected);
        Assert.InRange(pooledChiSquare, 15, 150);
    }

    /// <summary>Appends the checksum the spec describes: CRC32 of the ASCII bytes, as 6 base62 digits.</summary>
    private static string WithChecksum(string body)
    {
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(Crc32.Hash(Encoding.ASCII.GetBytes(body)));
        var checksum = new char[ApiKeyFormat.ChecksumLength];
        for (var i = checksum.Length - 1; i >= 0; i--)
        {
            checksum[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
        return body + new string(checksum);
    }
}
