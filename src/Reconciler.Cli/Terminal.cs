using Microsoft.Win32.SafeHandles;

namespace Reconciler.Cli;

/// <summary>Where output goes and whether a person is watching (colour and progress) or it is piped (plain text).</summary>
/// <param name="Interactive">Progress may redraw its lines in place: stdout and stderr are terminals that understand cursor movement.</param>
/// <param name="Answers">
/// Where a person's answer to a question (apply's confirmation) is read: standard input when it is a terminal; null when
/// it is piped or closed, so nobody can be asked and a command that needs a yes refuses instead of reading a script's input.
/// </param>
internal sealed record Terminal(TextWriter Out, TextWriter Error, bool Colour, bool Interactive, TextReader? Answers = null)
{
    /// <remarks>
    /// Answers are read from file descriptor 0 itself, not through Console.In: with a Console.In read pending, an
    /// interrupt at the question printed its first line and then the run hung (the console's reader and writers share
    /// state on Unix); read directly, the run ends with exit 130. The terminal's own line discipline echoes the line.
    /// </remarks>
    public static Terminal FromConsole() => From(
        new Streams(Console.Out, Console.Error, new StreamReader(new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1))),
        !Console.IsOutputRedirected, !Console.IsErrorRedirected, !Console.IsInputRedirected, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Colour and redrawn progress only for a person at a terminal that can show them: stdout is a terminal, TERM is not
    /// "dumb" and, for colour, NO_COLOR is unset or empty (no-color.org). A question needs standard input to be a terminal.
    /// </summary>
    internal static Terminal From(Streams streams, bool outIsTerminal, bool errorIsTerminal, bool inIsTerminal, Func<string, string?> environment)
    {
        var person = outIsTerminal && environment("TERM") != "dumb";
        var colour = person && string.IsNullOrEmpty(environment("NO_COLOR"));
        return new Terminal(streams.Out, streams.Error, colour, person && errorIsTerminal, inIsTerminal ? streams.In : null);
    }

    internal sealed record Streams(TextWriter Out, TextWriter Error, TextReader In);
}
