using Reconciler.Cli;

// Ctrl-C and SIGTERM are handled, not fatal: the first stops the run cleanly, a second stops waiting (Interruption).
using var interruption = Interruption.FromSignals(Console.Error);
try
{
    return await App.RunAsync(args, Terminal.FromConsole(), interruption: interruption);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A bug in the tool, not a problem in the user's input: say so, with the trace for the report.
    Console.Error.WriteLine($"reconciler: internal error, please report it: {e}");
    return 1;
}
