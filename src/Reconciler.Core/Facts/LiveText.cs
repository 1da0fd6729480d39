using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Shell;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Facts;

/// <summary>
/// A file's content as the host reported it (see <c>HostText</c>): always its digest, size and line count; the text
/// only when the disclosure policy let the host send it, otherwise <paramref name="Withheld"/> says why not.
/// <paramref name="Unreadable"/> is set when the host could not read it within the limits.
/// </summary>
public sealed record LiveText(string? Sha256, long Size, long Lines, string? Text, string? Withheld, string? Unreadable = null)
{
    /// <summary>The <c>T</c>/<c>H</c>/<c>Z</c>/<c>W</c>/<c>X</c> facts of one resource, or null when none came back. Later duplicates win.</summary>
    public static LiveText? Parse(IEnumerable<string[]> facts)
    {
        string? sha = null, text = null, withheld = null, unreadable = null;
        long size = 0, lines = 0;
        var any = false;
        foreach (var f in facts)
        {
            switch (f[0])
            {
                case "T" when f.Length > 2:
                    // The whole text, sent because it may be shown: its digest, size and line count are taken from it here
                    // (the host read the file once instead of three times).
                    any = true;
                    if (Whole(f[2]) is not { } bytes)
                    {
                        unreadable = "the host's answer for its text was not base64";
                        break;
                    }

                    if (bytes.Length > HostText.MaxShownBytes)
                    {
                        unreadable = $"it grew past {HostText.MaxShownBytes / 1024} KiB while it was read; plan again";
                        break;
                    }

                    sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                    size = bytes.Length;
                    lines = bytes.AsSpan().Count((byte)'\n');
                    text = DecodeText(bytes);
                    withheld = text is null ? "binary content" : null;
                    break;
                case "H" when f.Length > 2: sha = f[2]; any = true; break;
                case "Z" when f.Length > 3:
                    any = true;
                    _ = long.TryParse(f[2], out size);
                    _ = long.TryParse(f[3], out lines);
                    break;
                case "W" when f.Length > 2: withheld = string.Join(' ', f.Skip(2)); text = null; break;
                case "X" when f.Length > 2: unreadable = string.Join(' ', f.Skip(2)); any = true; break;
            }
        }

        return any ? new LiveText(sha, size, lines, text, withheld, unreadable) : null;
    }

    private static byte[]? Whole(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The plan's before-value: the text when it may be shown, otherwise what is known and why the text is not shown.</summary>
    public PlanValue Shown => Text is not null ? new PlanValue.Text(Text) : new PlanValue.Withheld(Withheld ?? "not read", $"{Size} bytes, {Lines} line(s)");

    /// <summary>UTF-8 text, or null for binary content (compared by digest and never shown).</summary>
    private static string? DecodeText(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
