using System.Runtime.CompilerServices;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// Hand-kept snapshots: Views/Approved/NAME.approved.txt is the spec of a rendering. On a difference the actual
/// output is written next to it as NAME.received.txt and the test fails; to accept the new output, review the
/// received file and copy it over the approved one.
/// </summary>
internal static class Approvals
{
    public static void Verify(string received, string name, [CallerFilePath] string callerFile = "")
    {
        var dir = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        var approvedPath = Path.Combine(dir, $"{name}.approved.txt");
        var receivedPath = Path.Combine(dir, $"{name}.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(receivedPath, received);
        Assert.Fail(approved is null
            ? $"No approved snapshot for '{name}'. Review {receivedPath} and, if it is right, approve it with:\n  cp '{receivedPath}' '{approvedPath}'"
            : $"'{name}' differs from its approved snapshot. Compare with:\n  diff '{approvedPath}' '{receivedPath}'\n" +
              $"If the new output is right, approve it with:\n  cp '{receivedPath}' '{approvedPath}'");
    }
}
