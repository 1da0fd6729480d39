namespace Reconciler.Core.Facts;

/// <summary>
/// Text quoted from a host (or a spec) in a reason: cut to a length that is enough to act on and too short to flood a
/// report or an error line. Escaping what is quoted is the view's business, not this one's.
/// </summary>
public static class Excerpt
{
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
