namespace Reconciler.Cli;

/// <summary>Where output goes and whether a person is watching (colour and progress) or it is piped (plain text).</summary>
internal sealed record Terminal(TextWriter Out, TextWriter Error, bool Colour, bool Interactive)
{
    public static Terminal FromConsole()
    {
        var person = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        var colour = person && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        return new Terminal(Console.Out, Console.Error, colour, person && !Console.IsErrorRedirected);
    }
}
