using System.Net;
using System.Net.Sockets;

namespace KeyDashboard.Api;

/// <summary>
/// What a per-address limit counts by: an IPv4 address as it is, an IPv6 address by its /64. One IPv6 client usually
/// holds a whole /64, so counting single addresses would let it step around any limit within its own block.
/// </summary>
public static class ClientAddressBlock
{
    public static string Of(IPAddress? address)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The same for an address as text; an IPv4 address (no colon) is returned without parsing.</summary>
    public static string Of(string? address) =>
        address is null ? ""
        : !address.Contains(':') ? address
        : IPAddress.TryParse(address, out var parsed) ? Of(parsed)
        : address;
}
