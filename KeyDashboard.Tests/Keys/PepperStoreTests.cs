using System.Security.Cryptography;
using System.Text;
using KeyDashboard.Keys;
using Microsoft.AspNetCore.DataProtection;

namespace KeyDashboard.Tests.Keys;

public sealed class PepperStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kd-tests", Guid.NewGuid().ToString("N"));

    private string DataDirectory => Path.Combine(_root, "data");
    private string PepperFile => Path.Combine(DataDirectory, PepperStore.FileName);

    /// <summary>A provider whose key ring lives in a folder, as after a restart of the app.</summary>
    private IDataProtectionProvider ProviderWithKeysIn(string folder) =>
        DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_root, folder)));

    [Fact]
    public void A_configured_base64_pepper_is_used_and_nothing_is_written()
    {
        var configured = RandomNumberGenerator.GetBytes(32);

        var pepper = PepperStore.Load(Convert.ToBase64String(configured), DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Equal(configured, pepper);
        Assert.False(File.Exists(PepperFile));
    }

    [Fact]
    public void A_configured_pepper_longer_than_32_bytes_is_used_whole()
    {
        var configured = RandomNumberGenerator.GetBytes(64);

        var pepper = PepperStore.Load(Convert.ToBase64String(configured), DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Equal(configured, pepper);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    public void A_configured_pepper_shorter_than_32_bytes_is_refused(int length)
    {
        var configured = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length));

        var load = () => PepperStore.Load(configured, DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Throws<InvalidOperationException>(load);
        Assert.False(File.Exists(PepperFile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_configured_pepper_one_is_generated_into_the_data_folder(string? configured)
    {
        var pepper = PepperStore.Load(configured, DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Equal(32, pepper.Length);
        Assert.True(File.Exists(PepperFile));
    }

    [Fact]
    public void The_generated_pepper_comes_back_on_the_next_load()
    {
        var first = PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("keys"));
        var fileAfterFirstLoad = File.ReadAllBytes(PepperFile);

        var second = PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Equal(first, second);
        Assert.Equal(fileAfterFirstLoad, File.ReadAllBytes(PepperFile));
    }

    [Fact]
    public void The_pepper_file_does_not_contain_the_pepper_in_the_clear()
    {
        var pepper = PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("keys"));

        var file = File.ReadAllBytes(PepperFile);

        Assert.Equal(-1, file.AsSpan().IndexOf(pepper));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(pepper))));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexString(pepper))));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(pepper))));
    }

    [Fact]
    public void Separate_data_folders_get_different_peppers()
    {
        var first = PepperStore.Load(null, Path.Combine(_root, "one"), ProviderWithKeysIn("keys"));
        var second = PepperStore.Load(null, Path.Combine(_root, "two"), ProviderWithKeysIn("keys"));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_pepper_file_protected_by_other_keys_is_refused_rather_than_replaced()
    {
        PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("keys"));
        var original = File.ReadAllBytes(PepperFile);

        var load = () => PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("other-keys"));

        Assert.ThrowsAny<CryptographicException>(load);
        Assert.Equal(original, File.ReadAllBytes(PepperFile));
    }

    [Fact]
    public void A_configured_pepper_wins_over_a_generated_one()
    {
        var generated = PepperStore.Load(null, DataDirectory, ProviderWithKeysIn("keys"));
        var configured = RandomNumberGenerator.GetBytes(32);

        var pepper = PepperStore.Load(Convert.ToBase64String(configured), DataDirectory, ProviderWithKeysIn("keys"));

        Assert.Equal(configured, pepper);
        Assert.NotEqual(generated, pepper);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }
}
