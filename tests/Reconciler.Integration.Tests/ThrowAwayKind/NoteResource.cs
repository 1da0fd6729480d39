using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Integration.Tests.ThrowAwayKind;

/// <summary>A note: the file /etc/reconciler-notes/NAME holds TEXT and a newline.</summary>
public sealed record NoteResource(string Name, string Text, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "note";

    public override ResourceAddress Address => new(KindName, Name);

    public string Path => $"{NoteKind.Directory}/{Name}";

    public string Content => Text + "\n";
}
