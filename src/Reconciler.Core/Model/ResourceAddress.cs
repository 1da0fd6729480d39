namespace Reconciler.Core.Model;

/// <summary>Identifies a resource on one host, e.g. <c>file[/etc/shadow]</c>; two declarations with one address conflict.</summary>
public sealed record ResourceAddress(string Kind, string Name) : IComparable<ResourceAddress>
{
    public override string ToString() => $"{Kind}[{Name}]";

    public int CompareTo(ResourceAddress? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}
