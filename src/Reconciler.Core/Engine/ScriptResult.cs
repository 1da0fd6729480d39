namespace Reconciler.Core.Engine;

/// <summary>The result of one remote script: a value, failure is the caller's decision.</summary>
public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr);
