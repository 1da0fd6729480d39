using Reconciler.Core.Diagnostics;
using Reconciler.Core.Secrets;

namespace Reconciler.Core.Specs;

/// <summary>What a kind's reader gets besides its section: the files the spec names, the run's secrets, and where to report.</summary>
public sealed record SpecReading(ISpecFiles Files, SecretStore Secrets, ICollection<Diagnostic> Diagnostics);
