namespace Reconciler.Core.Resources.Network;

/// <summary>
/// One address line of <c>ip -o addr show</c>. <paramref name="Label"/> is the IPv4 alias label (<c>lo:0</c>), null
/// when the address carries the device's own name or is IPv6.
/// </summary>
public sealed record InterfaceAddress(string Device, string Family, string Address, int Prefix, string Scope, string? Label)
{
    public string Cidr => $"{Address}/{Prefix}";

    public string Text => Label is null ? Cidr : $"{Cidr} label {Label}";
}
