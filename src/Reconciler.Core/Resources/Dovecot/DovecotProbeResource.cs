using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// A mailbox whose IMAP LOGIN on 127.0.0.1:143 must succeed after every dovecot transaction on the host; a failed
/// login rolls the transaction back. It changes nothing itself. The password reaches the host on the apply script's
/// stdin only (never a command line) and is never printed.
/// </summary>
public sealed record DovecotProbeResource(string User, string Password, SourceLocation Source) : DovecotResource(Source)
{
    public const string KindName = "dovecot_probe";

    public override ResourceAddress Address => new(KindName, User);

    /// <summary>Records print every member; this one holds a password.</summary>
    public override string ToString() => $"{Address} (password {Plans.PlanValue.SensitiveText})";
}
