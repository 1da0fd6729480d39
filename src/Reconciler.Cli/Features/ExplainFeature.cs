using Reconciler.Cli.Views;
using Reconciler.Core.Resources;
using Reconciler.Core.Text;
using Reconciler.Specs.Reference;

namespace Reconciler.Cli.Features;

/// <summary>
/// <c>reconciler explain [KIND[.FIELD...]]</c>: the spec reference read from the schemas the validator runs, so what a
/// newcomer reads is what validate accepts; <c>--markdown</c> prints the whole of it as docs/kinds.md.
/// </summary>
internal sealed class ExplainFeature(Terminal terminal, KindCatalog kinds)
{
    public int Run(string? path, bool markdown)
    {
        var reference = SpecReference.Of(kinds);
        if (markdown)
        {
            if (path is not null)
            {
                terminal.Error.WriteLine("explain: --markdown prints the whole reference; leave out KIND");
                return ExitCodes.Error;
            }

            terminal.Out.Write(KindsMarkdownView.Render(reference));
            return ExitCodes.Ok;
        }

        if (path is null)
        {
            terminal.Out.Write(ExplainTextView.Kinds(reference));
            return ExitCodes.Ok;
        }

        var found = reference.Find(path);
        if (found.Error is { } error)
        {
            terminal.Error.WriteLine($"explain: {VisibleText.Inline(error)}");
            return ExitCodes.Error;
        }

        terminal.Out.Write(found.Field == found.Kind!.Field ? ExplainTextView.Kind(found.Kind) : ExplainTextView.Field(found.Field!));
        return ExitCodes.Ok;
    }
}
