using System.Globalization;

namespace Reconciler.Core.Shell;

/// <summary>
/// Wraps a script that changes a host so that a lost connection can neither cut it short nor leave it half-run:
/// <list type="bullet">
/// <item>The whole envelope is one brace group (the body inside it as a here-document), and sh parses a compound
/// command whole before running any of it, so a script cut off in transit is a syntax error that runs nothing — never
/// the first half of a transaction without its rollback.</item>
/// <item>The body is written to a private run directory on the host and runs <em>detached</em> from the SSH session
/// (its own session via setsid, hang-ups ignored, no descriptor of the connection), its output kept in files there.
/// The part attached to the connection only waits for the body's result file and then sends the output: a connection
/// that drops, silently or not, stops nothing on the host.</item>
/// <item>The <c>handover</c> script runs on the host when the controller is known to be gone (sending the output
/// failed) and in any case <c>handoverDelay</c> after the body ended — by then a live controller has long taken over
/// (it releases the apply lock itself on its verifying read), so the script acts only for a controller that never
/// came back. It must be idempotent.</item>
/// </list>
/// The body runs in a subshell: its <c>exit</c> ends the body, and the envelope still reports and exits with its status.
/// The shell itself is script-envelope.sh; this fills in its placeholders.
/// </summary>
public static class ScriptEnvelope
{
    /// <summary>Exit status when the host cannot even create the run directory; nothing ran.</summary>
    public const int NoTemporaryFile = 96;

    /// <summary>Exit status when the detached body vanished without writing its result (killed on the host).</summary>
    public const int NoResult = 95;

    /// <param name="runRoot">Where the run directory is made (mktemp makes it 0700: the body may carry secrets).</param>
    public static string Wrap(string body, string runRoot, string? handover = null, TimeSpan? handoverDelay = null)
    {
        // A random here-document delimiter: no line of the body (spec or host text) can end the document early.
        var nonce = Guid.NewGuid().ToString("N")[..16];
        var delay = (long)Math.Ceiling((handoverDelay ?? TimeSpan.FromSeconds(30)).TotalSeconds);
        // The file ends with the brace group's "}"; the envelope has always ended with a line end after it.
        return ShellFiles.Fill("script-envelope.sh", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RC_RUN_ROOT"] = Sh.Quote(runRoot),
            ["RC_NO_TEMPORARY_FILE"] = NoTemporaryFile.ToString(CultureInfo.InvariantCulture),
            ["RC_NONCE"] = nonce,
            ["RC_HANDOVER"] = (handover ?? ":").TrimEnd('\n'),
            ["RC_BODY"] = body.TrimEnd('\n'),
            ["RC_HANDOVER_DELAY"] = delay.ToString(CultureInfo.InvariantCulture),
            ["RC_NO_RESULT"] = NoResult.ToString(CultureInfo.InvariantCulture),
        }) + "\n";
    }
}
