namespace Reconciler.Core.Plans;

/// <summary>
/// How the host's last apply ended, as the host itself recorded it at the end of the apply script (which runs to its
/// end even when the controller's connection is gone). <paramref name="Unattended"/>: the controller never came back
/// for the result, so it could only report the outcome as unknown; this record is the outcome.
/// </summary>
public sealed record LastApply(int Applied, int Failed, int Total, string? At, string? By, bool Unattended)
{
    public string Result => Failed == 0 && Applied == Total
        ? $"{Applied} of {Total} change(s) applied"
        : $"{Applied} of {Total} change(s) applied, {Failed} failed";

    /// <summary>One line for reports, or null when a controller saw this apply end (nothing the report lacks).</summary>
    public string? UnattendedNote => Unattended
        ? $"the last apply{(Plain(By) is { Length: > 0 } by ? $" ({by})" : "")} lost its controller's connection; the host finished it on its own" +
          $"{(Plain(At) is { Length: > 0 } at ? $" at {at}" : "")}: {Result}"
        : null;

    /// <summary>The host wrote these fields: only characters that mean nothing to Markdown or a terminal pass.</summary>
    private static string Plain(string? text) =>
        new((text ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ':' or '-').Take(120).ToArray());
}
