using System.Globalization;
using System.Text;

namespace Reconciler.Core.Text;

/// <summary>
/// The first step for every medium: characters that act instead of showing (C0/C1 controls, ESC sequences, DEL, bidi
/// overrides that reorder what a reviewer reads, line and paragraph separators) are written out as visible escapes
/// (<c>\x1b</c>, <c>\u202e</c>), so text from a host or a spec can never move a cursor, recolour a terminal, hide a
/// line or end one. Every message and view escapes with this one function, so a secret has exactly one escaped form
/// for the redactor to know (<see cref="Secrets.SecretRedactor"/>).
/// </summary>
public static class VisibleText
{
    /// <summary>One line: line breaks are shown as <c>\n</c>/<c>\r</c> too. Tabs stay.</summary>
    public static string Inline(string text) => Escape(text, keepNewlines: false, keepTabs: true);

    /// <summary>Multi-line text: <c>\n</c> stays a line break; every other control is shown.</summary>
    public static string Lines(string text) => Escape(text, keepNewlines: true, keepTabs: true);

    /// <summary>
    /// A value an error is about (a refused name or path): tabs are shown as <c>\x09</c> too, since a tab printed as
    /// blank space would hide the very character the error refuses.
    /// </summary>
    public static string Exact(string text) => Escape(text, keepNewlines: false, keepTabs: false);

    /// <summary>Every escaped form a value can take in output, for the redactor to mask.</summary>
    public static IEnumerable<string> FormsOf(string text) => [Inline(text), Lines(text), Exact(text)];

    private static string Escape(string text, bool keepNewlines, bool keepTabs)
    {
        if (!text.Any(c => Acts(c, keepNewlines, keepTabs))) return text;
        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!Acts(c, keepNewlines, keepTabs)) shown.Append(c);
            else if (c == '\n') shown.Append("\\n");
            else if (c == '\r') shown.Append("\\r");
            else if (c <= '\u00ff') shown.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else shown.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        return shown.ToString();
    }

    private static bool Acts(char c, bool keepNewlines, bool keepTabs) => c switch
    {
        '\t' => !keepTabs,
        '\n' => !keepNewlines,
        < ' ' or '\u007f' => true,
        >= '\u0080' and <= '\u009f' => true,
        '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') => true,
        '\u2028' or '\u2029' or '\ufeff' => true,
        _ => false,
    };
}
