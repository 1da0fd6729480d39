using Reconciler.Cli;

try
{
    return await App.RunAsync(args, Terminal.FromConsole());
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A bug in the tool, not a problem in the user's input: say so, with the trace for the report.
    Console.Error.WriteLine($"reconciler: internal error, please report it: {e}");
    return 1;
}
