using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>
/// The files a spec names besides itself (templates, list files), as the readers may reach them: resolved inside the
/// specs directory and bounded by the adapter that implements this, so a kind's reader does no I/O of its own.
/// </summary>
public interface ISpecFiles
{
    /// <summary>The template's reference, or null when the path is refused (reported at the scalar).</summary>
    TemplateReference? Template(SpecScalar written, ICollection<Diagnostic> diagnostics);

    /// <summary>
    /// The list file's text (valid UTF-8, at most <paramref name="maxBytes"/>) and how diagnostics name it, or null when
    /// it is refused, too large or unreadable (reported at the scalar or, for bad UTF-8, at the first bad byte).
    /// </summary>
    SpecListFile? ListFile(SpecScalar written, long maxBytes, ICollection<Diagnostic> diagnostics);
}

/// <summary>A list file's text and the path diagnostics name it by.</summary>
public sealed record SpecListFile(string DisplayPath, string Text);
