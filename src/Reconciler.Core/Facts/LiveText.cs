using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Facts;

/// <summary>
/// A file's content as the host reported it (see <c>HostText</c>): always its digest, size and line count; the text
/// only when the disclosure policy let the host send it, otherwise <paramref name="Withheld"/> says why not.
/// <paramref name="Unreadable"/> is set when the host could not read it within the limits.
/// </summary>
public sealed record LiveText(string? Sha256, long Size, long Lines, string? Text, string? Withheld, string? Unreadable = null)
{
    /// <summary>The <c>H</c>/<c>Z</c>/<c>C</c>/<c>W</c>/<c>X</c> facts of one resource, or null when none came back. Later duplicates win.</summary>
    public static LiveText? Parse(IEnumerable<string[]> facts)
    {
        string? sha = null, text = null, withheld = null, unreadable = null;
        long size = 0, lines = 0;
        var any = false;
        foreach (var f in facts)
        {
            switch (f[0])
            {
                case "H" when f.Length > 2: sha = f[2]; any = true; break;
                case "Z" when f.Length > 3:
                    any = true;
                    _ = long.TryParse(f[2], out size);
                    _ = long.TryParse(f[3], out lines);
                    break;
                case "C" when f.Length > 2:
                    text = DecodeText(f[2]);
                    withheld = text is null ? "binary content" : null;
                    break;
                case "W" when f.Length > 2: withheld = string.Join(' ', f.Skip(2)); text = null; break;
                case "X" when f.Length > 2: unreadable = string.Join(' ', f.Skip(2)); any = true; break;
            }
        }

        return any ? new LiveText(sha, size, lines, text, withheld, unreadable) : null;
    }

    /// <summary>The plan's before-value: the text when it may be shown, otherwise what is known and why the text is not shown.</summary>
    public PlanValue Shown => Text is not null ? new PlanValue.Text(Text) : new PlanValue.Withheld(Withheld ?? "not read", $"{Size} bytes, {Lines} line(s)");

    /// <summary>UTF-8 text, or null for binary content (compared by digest and never shown).</summary>
    public static string? DecodeText(string base64)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}
