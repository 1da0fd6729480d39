namespace Reconciler.Cli.Views;

/// <summary>
/// Colours for a person at a terminal; every method is the identity when colour is off. The codes are marks of
/// <see cref="TerminalMarkup"/>, which only the run's <see cref="InertTextWriter"/> turns into ANSI sequences.
/// </summary>
internal sealed class Styles(bool colour)
{
    public static readonly Styles Plain = new(false);

    public string Create(string s) => Wrap("32", s);
    public string Update(string s) => Wrap("33", s);
    public string Delete(string s) => Wrap("31", s);
    public string Dim(string s) => Wrap("2", s);
    public string Bold(string s) => Wrap("1", s);
    public string Error(string s) => Wrap("31;1", s);
    public string Hunk(string s) => Wrap("36", s);

    private string Wrap(string code, string s) => colour ? $"{TerminalMarkup.Sgr(code)}{s}{TerminalMarkup.Sgr("0")}" : s;
}
