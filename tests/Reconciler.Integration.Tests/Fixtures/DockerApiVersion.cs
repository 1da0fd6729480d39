using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// The Docker API version the tests speak, agreed with the engine instead of pinned: Testcontainers speaks 1.44 unless
/// told otherwise, which Debian 12's docker.io (20.10, at most 1.41) refuses, while current engines (29 and later) refuse
/// anything older than 1.44. So the engine is asked (<c>GET /version</c> needs no version) and an engine older than the
/// client gets its own maximum; any newer engine keeps the client's version.
/// </summary>
public static class DockerApiVersion
{
    /// <summary>What Testcontainers 4.x asks for when <c>DOCKER_API_VERSION</c> is not set.</summary>
    public const string ClientDefault = "1.44";

    /// <summary>The version to set for an engine that speaks at most <paramref name="engineMaximum"/>, or null for the client's own.</summary>
    public static string? Agreed(string engineMaximum) =>
        Version.TryParse(engineMaximum, out var engine) && engine < Version.Parse(ClientDefault) ? engineMaximum : null;

    /// <summary>The engine's maximum API version (its <c>ApiVersion</c>), or null when no engine answers on its unix socket.</summary>
    public static string? EngineMaximum()
    {
        var socket = EngineSocket();
        if (socket is null) return null;
        try
        {
            // Plain blocking HTTP/1.0 on the socket: this runs from a module initializer, where waiting on an async
            // HttpClient deadlocks (its continuations need the module being initialized).
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
            s.Connect(new UnixDomainSocketEndPoint(socket));
            s.Send(Encoding.ASCII.GetBytes("GET /version HTTP/1.0\r\nHost: docker\r\n\r\n"));
            using var answer = new MemoryStream();
            var buffer = new byte[8192];
            for (int n; answer.Length < 1 << 20 && (n = s.Receive(buffer)) > 0;) answer.Write(buffer, 0, n);
            var text = Encoding.UTF8.GetString(answer.ToArray());
            var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (body < 0) return null;
            using var json = JsonDocument.Parse(text[(body + 4)..]);
            return json.RootElement.TryGetProperty("ApiVersion", out var version) ? version.GetString() : null;
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException)
        {
            return null; // Testcontainers then says, in its own words, that no engine runs.
        }
    }

    private static string? EngineSocket()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host)) return "/var/run/docker.sock";
        return host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;
    }
}
