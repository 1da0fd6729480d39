using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>One main.cf parameter, set with <c>postconf -e</c>; parameters nobody declares are never touched.</summary>
public sealed record PostfixMainResource(string Parameter, string Value, SourceLocation Source) : PostfixResource(Source)
{
    public const string KindName = "postfix_main";

    public override ResourceAddress Address => new(KindName, Parameter);

    /// <summary>postconf joins continuation lines with single spaces; compare values the same way.</summary>
    public static string Normalize(string value) =>
        string.Join(' ', value.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
}
