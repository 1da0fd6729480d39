namespace Reconciler.Tests.Shared;

/// <summary>
/// Where the tests find the checkout they run from, and their own copy of the sample specs. Tests never read the
/// top-level specs/: that directory is the user's (a user who replaces it with their own hosts' specs must not break
/// the tool's tests or CI), while tests/sample-specs/ is the sample the tests count on.
/// </summary>
public static class TestRepository
{
    /// <summary>The repository checkout these tests run from (the directory holding Reconciler.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The tests' copy of the sample specs (tests/sample-specs), read by every test that needs the sample.</summary>
    public static string SampleSpecs => Path.Combine(Root, "tests", "sample-specs");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reconciler.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Reconciler.sln not found above " + AppContext.BaseDirectory);
    }
}
