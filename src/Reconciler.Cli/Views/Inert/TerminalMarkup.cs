using System.Security.Cryptography;

namespace Reconciler.Cli.Views;

/// <summary>
/// The only way this tool's own control output (colours, GitHub workflow commands) reaches a terminal or a workflow log.
/// Views do not write escape sequences or <c>::</c> commands themselves: they write a mark made of a token drawn at
/// random for this process, and <see cref="InertTextWriter"/> — which shows every other control visibly and escapes every
/// line that would start a workflow command — turns only marks carrying this token into the real thing. Text from a
/// host, a spec or an error message cannot carry the token, since nothing prints it; so nothing it holds can act.
/// </summary>
internal static class TerminalMarkup
{
    /// <summary>A private-use character and 128 random bits: never printed, so never known outside this process.</summary>
    internal static readonly string Token = "\ue000" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Select Graphic Rendition <paramref name="code"/> (digits and <c>;</c> only): a colour, bold, dim or reset.</summary>
    public static string Sgr(string code) =>
        code.Length > 0 && code.All(c => c is (>= '0' and <= '9') or ';')
            ? $"{Token}[{code}m"
            : throw new ArgumentException($"'{code}' is not an SGR parameter list", nameof(code));

    /// <summary>Moves the cursor up <paramref name="lines"/> lines (CUU), to redraw a progress line in place.</summary>
    public static string CursorUp(int lines) => $"{Token}[{Positive(lines)}A";

    /// <summary>Moves the cursor down <paramref name="lines"/> lines (CUD), back below the progress lines.</summary>
    public static string CursorDown(int lines) => $"{Token}[{Positive(lines)}B";

    /// <summary>Erases the cursor's whole line (EL 2), so a shorter progress line leaves nothing of the longer one.</summary>
    public static string EraseLine => $"{Token}[2K";

    private static int Positive(int lines) =>
        lines > 0 ? lines : throw new ArgumentOutOfRangeException(nameof(lines), lines, "the cursor moves at least one line");

    /// <summary>Starts a workflow command (<c>::</c>); honoured only at the start of a line. See <c>WorkflowCommand</c>.</summary>
    public static string CommandStart => Token + "!";
}
