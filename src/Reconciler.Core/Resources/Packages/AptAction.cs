namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// One line of apt's simulation: <paramref name="Verb"/> Inst, Remv or Purg of <paramref name="Package"/>, from the
/// installed version <paramref name="From"/> (null when none) to <paramref name="To"/> (null for a removal).
/// </summary>
public sealed record AptAction(string Verb, string Package, string? From, string? To)
{
    public bool Installs => Verb == "Inst";
}
