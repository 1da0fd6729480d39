namespace Reconciler.Core.Resources.MariaDb;

/// <summary>How a declared row value is stored and compared.</summary>
public enum MariaDbValueKind
{
    /// <summary>Stored and shown as written.</summary>
    Plain,

    /// <summary>A secret stored verbatim; never shown.</summary>
    Secret,

    /// <summary>A secret stored as Dovecot's salted <c>{SSHA512}</c> hash, compared by verifying the live hash.</summary>
    Ssha512,
}
