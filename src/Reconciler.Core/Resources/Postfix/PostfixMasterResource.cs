using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// One master.cf service, keyed by <c>SERVICE/TYPE</c> as <c>postconf -M</c> names it, set with <c>postconf -M -e</c>;
/// services nobody declares are never touched. The columns are master.cf's own (<c>-</c> is postfix's default);
/// <paramref name="Args"/> are the command's arguments (e.g. <c>-o syslog_name=postfix/submission</c>) in order.
/// </summary>
public sealed record PostfixMasterResource(
    string Service,
    string Type,
    string Private,
    string Unpriv,
    string Chroot,
    string Wakeup,
    string MaxProc,
    string Command,
    IReadOnlyList<string> Args,
    SourceLocation Source) : PostfixResource(Source)
{
    public const string KindName = "postfix_master";

    public string Key => $"{Service}/{Type}";

    public override ResourceAddress Address => new(KindName, Key);

    /// <summary>The whole entry on one line, whitespace-normalized as <c>postconf -M</c> output is compared.</summary>
    public string Entry => PostfixMainResource.Normalize(string.Join(' ', [Service, Type, Private, Unpriv, Chroot, Wakeup, MaxProc, Command, .. Args]));

    /// <summary>The entry's columns after SERVICE and TYPE, by name, with the command and its arguments last.</summary>
    public static IReadOnlyList<(string Name, string Value)> Columns(string entry)
    {
        var f = PostfixMainResource.Normalize(entry).Split(' ');
        string At(int i) => i < f.Length ? f[i] : "";
        return
        [
            ("private", At(2)), ("unpriv", At(3)), ("chroot", At(4)), ("wakeup", At(5)), ("maxproc", At(6)),
            ("command", At(7)), ("args", string.Join(' ', f.Skip(8))),
        ];
    }
}
