namespace Reconciler.Core.Resources;

/// <summary>
/// Text for the quoting property test (<see cref="IResourceKind.HostileSamples"/>): every character the shell treats
/// specially, two command substitutions that would each create a file in <paramref name="Canaries"/>, a bare and a path
/// glob (of <paramref name="Scratch"/>, the test's working directory), and a newline followed by the here-document
/// terminators the scripts use (<see cref="Terminators"/>). A kind's samples put it in every field its code does not refuse before a script exists.
/// </summary>
public sealed record HostileText(string Canaries, string Scratch)
{
    /// <summary>
    /// The here-document delimiters the text holds, each on a line of its own: the quoting test finds them in the scripts
    /// the kinds generate, so a kind with a delimiter of its own is covered without naming it here.
    /// </summary>
    public IReadOnlyList<string> Terminators { get; init; } = [];

    /// <summary>Hostile text marked with <paramref name="tag"/>, newlines included.</summary>
    public string Text(string tag) => Line(tag) + "\n" + string.Concat(Terminators.Select(t => t + "\n")) + $"$(touch {Canaries}/line-{tag})\n";

    /// <summary>One line of hostile text (for fields whose grammar rules out newlines even in the providers' own checks).</summary>
    public string Line(string tag) =>
        $"{tag} q' d\" $(touch {Canaries}/dollar-{tag}) `touch {Canaries}/tick-{tag}` ; * {Scratch}/* % \\ \\n $HOME ${{x}} & | < > #";

    /// <summary>One hostile path component (a line without '/').</summary>
    public string Name(string tag) => Line(tag).Replace("/", "_", StringComparison.Ordinal);

    /// <summary>A hostile directory in the scratch directory, for the kinds whose apply runs on the test machine.</summary>
    public string Directory => $"{Scratch}/d {Name("dir")}";
}
