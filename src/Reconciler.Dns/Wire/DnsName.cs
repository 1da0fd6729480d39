using System.Text;

namespace Reconciler.Dns.Wire;

/// <summary>
/// A domain name as labels of bytes, compared as DNS does (ASCII case-insensitive). Names read off the wire can hold
/// any byte; <see cref="ToString"/> shows them lowercased and escaped (\. \\ \DDD), so a shown name is always one
/// printable line whatever a server put in it.
/// </summary>
internal sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>RFC 1035 2.3.4: a name is at most 255 octets on the wire, a label at most 63.</summary>
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    private readonly byte[][] _labels;

    public DnsName(IReadOnlyList<byte[]> labels)
    {
        _labels = [.. labels];
    }

    public IReadOnlyList<byte[]> Labels => _labels;

    /// <summary>The name's length on the wire, uncompressed: each label and its length byte, then the root's zero.</summary>
    public int WireLength => _labels.Sum(label => label.Length + 1) + 1;

    /// <summary>
    /// A name the caller wrote (a zone, a selector's name): dot-separated labels of printable ASCII other than
    /// backslash (no escapes are taken), an optional final dot. Null and a reason when it is not one.
    /// </summary>
    public static DnsName? Parse(string text, out string? problem)
    {
        problem = null;
        var trimmed = text.EndsWith('.') && text.Length > 1 ? text[..^1] : text;
        if (trimmed == ".")
        {
            return new DnsName([]);
        }

        if (trimmed.Length == 0 || trimmed.Any(c => c <= ' ' || c >= 0x7F || c == '\\'))
        {
            problem = $"{Reason.Quote(text)} is not a domain name (printable ASCII labels separated by dots)";
            return null;
        }

        var labels = trimmed.Split('.');
        if (labels.Any(label => label.Length is 0 or > MaxLabelLength))
        {
            problem = $"{Reason.Quote(text)} is not a domain name (each label 1 to {MaxLabelLength} characters)";
            return null;
        }

        var name = new DnsName(labels.Select(Encoding.ASCII.GetBytes).ToList());
        if (name.WireLength > MaxWireLength)
        {
            problem = $"{Reason.Quote(text)} is not a domain name (longer than {MaxWireLength} octets)";
            return null;
        }

        return name;
    }

    /// <summary>True when this name is <paramref name="zone"/> or below it.</summary>
    public bool IsAtOrBelow(DnsName zone)
    {
        if (zone._labels.Length > _labels.Length)
        {
            return false;
        }

        var offset = _labels.Length - zone._labels.Length;
        return zone._labels.Select((label, i) => LabelEquals(label, _labels[offset + i])).All(equal => equal);
    }

    public bool Equals(DnsName? other) =>
        other is not null && other._labels.Length == _labels.Length && _labels.Zip(other._labels).All(pair => LabelEquals(pair.First, pair.Second));

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in _labels)
        {
            hash.Add(label.Length);
            foreach (var b in label)
            {
                hash.Add(ToLower(b));
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Lowercased, escaped, without the final dot ("." for the root).</summary>
    public override string ToString()
    {
        if (_labels.Length == 0)
        {
            return ".";
        }

        var text = new StringBuilder();
        foreach (var label in _labels)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            foreach (var b in label)
            {
                var c = (char)ToLower(b);
                if (c is '.' or '\\')
                {
                    text.Append('\\').Append(c);
                }
                else if (c is > ' ' and < (char)0x7F)
                {
                    text.Append(c);
                }
                else
                {
                    text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return text.ToString();
    }

    private static bool LabelEquals(byte[] a, byte[] b) =>
        a.Length == b.Length && a.Zip(b).All(pair => ToLower(pair.First) == ToLower(pair.Second));

    private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}
