namespace Reconciler.Core.Engine;

/// <summary>One open connection to a host, already elevated to root when the host needs sudo.</summary>
public interface IHostSession : IAsyncDisposable
{
    /// <summary>Runs a POSIX shell script (sent on stdin, so size is not limited by ARG_MAX) as root.</summary>
    Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken);

    /// <summary>
    /// The last result has been parsed and is no longer referenced: a transport that budgets host output per run gives
    /// its share back for other hosts (it does so anyway at the next command or when the session ends).
    /// </summary>
    void ReleaseOutput()
    {
    }
}
