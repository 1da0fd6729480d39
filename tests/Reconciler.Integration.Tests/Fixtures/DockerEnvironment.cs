using System.Runtime.CompilerServices;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// Configures Testcontainers for the local test engine: the API version agreed with the engine (<see cref="DockerApiVersion"/>),
/// no registry, no Ryuk image.
/// Must run before Testcontainers reads its settings; it runs from a module initializer and from
/// <see cref="DebianHost"/>'s static constructor. Values already set in the environment win.
/// </summary>
public static class DockerEnvironment
{
    private static int _configured;

    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION"))
            && DockerApiVersion.EngineMaximum() is { } engine && DockerApiVersion.Agreed(engine) is { } agreed)
        {
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", agreed);
        }

        SetIfMissing("TESTCONTAINERS_RYUK_DISABLED", "true");
        SetIfMissing("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
    }

    [ModuleInitializer]
    internal static void Initialize() => EnsureConfigured();

    private static void SetIfMissing(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
