using System.Globalization;
using System.Text;

namespace Reconciler.Dns;

/// <summary>
/// The reasons the adapter returns are built here from its own words: one line, at most <see cref="MaxLength"/>
/// characters. A server's text never goes into them; a name or value the caller gave is quoted escaped and cut, since
/// it may have come from a spec a pull request wrote.
/// </summary>
internal static class Reason
{
    public const int MaxLength = 200;
    private const int MaxQuoted = 64;

    /// <summary>The final form of every reason: control characters become spaces, the text is cut to <see cref="MaxLength"/>.</summary>
    public static string Line(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return line.Length <= MaxLength ? line : line[..(MaxLength - 1)] + "…";
    }

    /// <summary>
    /// A caller's string in double quotes: printable ASCII as is, everything else as \uXXXX, cut after
    /// <see cref="MaxQuoted"/> characters of the original.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text.Take(MaxQuoted))
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c is >= ' ' and < (char)0x7F)
            {
                quoted.Append(c);
            }
            else
            {
                quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return quoted.Append(text.Length > MaxQuoted ? "…\"" : "\"").ToString();
    }

    /// <summary>A name read off the wire, already escaped by <see cref="Wire.DnsName.ToString"/>, cut like a quoted one.</summary>
    public static string Name(Wire.DnsName name)
    {
        var shown = name.ToString();
        return shown.Length <= MaxQuoted ? shown : shown[..MaxQuoted] + "…";
    }

    /// <summary>An RCODE as dig shows it.</summary>
    public static string ResponseCode(int code) => code switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADVERS",
        _ => $"RCODE {code}",
    };

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds >= 1 && span.TotalSeconds % 1 == 0
            ? $"{span.TotalSeconds:0} s"
            : $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
