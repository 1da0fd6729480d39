namespace Reconciler.Core.Engine;

/// <summary>One open connection to a host, already elevated to root when the host needs sudo.</summary>
public interface IHostSession : IAsyncDisposable
{
    /// <summary>Runs a POSIX shell script (sent on stdin, so size is not limited by ARG_MAX) as root.</summary>
    Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken);
}
