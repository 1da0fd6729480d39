using System.Text;
using Reconciler.Cli.Views;
using Reconciler.Core.Text;

namespace Reconciler.Cli.GitHubActions;

/// <summary>
/// Workflow commands (<c>::error file=…::message</c>) with every value escaped as the runner unescapes them: in the
/// message <c>%</c>, CR and LF; in properties also <c>:</c> and <c>,</c>. Text from a spec or host can then neither
/// end the command's line, start a second command, nor change the command's properties. The line starts with the mark of
/// <see cref="TerminalMarkup.CommandStart"/>, not with <c>::</c>: the run's console writer escapes every other line that
/// would start a command, so a command reaches the log only when composed here.
/// </summary>
internal static class WorkflowCommand
{
    public static string Format(string command, IReadOnlyList<(string Name, string Value)> properties, string message)
    {
        var line = new StringBuilder(TerminalMarkup.CommandStart).Append(command);
        for (var i = 0; i < properties.Count; i++)
        {
            line.Append(i == 0 ? ' ' : ',').Append(properties[i].Name).Append('=').Append(Property(properties[i].Value));
        }

        return line.Append("::").Append(Data(message)).ToString();
    }

    /// <summary>Escapes <c>%</c>, CR and LF as the runner's escapeData does; other controls are then made visible.</summary>
    public static string Data(string text) =>
        VisibleText.Inline(text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A"));

    /// <summary>Escapes a property value as the runner's escapeProperty does: also <c>:</c> and <c>,</c>.</summary>
    public static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");
}
