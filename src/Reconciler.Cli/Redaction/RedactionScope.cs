using Reconciler.Core.Secrets;

namespace Reconciler.Cli.Redaction;

/// <summary>
/// The redactor for this run. The console writers exist before the specs are read, so they consult this holder, which
/// the spec gate fills as soon as the specs (and so their sensitive values) are known. Values are only ever added.
/// </summary>
internal sealed class RedactionScope
{
    private readonly Lock _gate = new();
    private readonly List<string> _secrets = [];
    private SecretRedactor _current = SecretRedactor.None;

    public SecretRedactor Current
    {
        get { lock (_gate) return _current; }
    }

    public void Add(IEnumerable<string> sensitiveValues)
    {
        lock (_gate)
        {
            _secrets.AddRange(sensitiveValues);
            _current = new SecretRedactor(_secrets);
        }
    }

    public string Redact(string text) => Current.Redact(text);
}
