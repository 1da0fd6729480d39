using System.Net;
using System.Security.Cryptography;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// One DNS zone served by two real BIND servers (image reconciler/host-bind:1, built by scripts/build-images.sh): a
/// primary that takes RFC 2136 updates signed with <see cref="TsigKeyName"/> for TXT records under _domainkey, and a
/// secondary that transfers the zone from it (NOTIFY, then SOA refresh every 5 s). The zone's NS set is
/// <see cref="PrimaryName"/> and <see cref="SecondaryName"/> with A glue for both bridge IPs, so a client that asks
/// the zone who serves it finds these two. Nothing is published: the test process reaches named on the containers'
/// docker bridge IPs, port 53. <see cref="StopSecondaryAsync"/> makes the secondary lag behind the primary on purpose.
/// </summary>
public sealed class DnsZonePair : IAsyncDisposable
{
    public const string Image = "reconciler/host-bind:1";
    public const string DefaultZone = "example.test";

    // The image's script that configures, starts and stops named (Hosts/debian-bind/rc-zone); it writes the TSIG key
    // to /etc/bind/KEYNAME.key and named's log to LogFile.
    private const string RcZone = "/usr/local/sbin/rc-zone";
    private const string LogFile = "/var/cache/bind/named.log";

    private readonly IContainer _primary;
    private readonly IContainer _secondary;

    static DnsZonePair() => DockerEnvironment.EnsureConfigured();

    private DnsZonePair(string zone, IContainer primary, IContainer secondary, string tsigSecret)
    {
        Zone = zone;
        _primary = primary;
        _secondary = secondary;
        PrimaryAddress = IPAddress.Parse(primary.IpAddress);
        SecondaryAddress = IPAddress.Parse(secondary.IpAddress);
        TsigSecret = tsigSecret;
    }

    /// <summary>The zone's name, without a trailing dot.</summary>
    public string Zone { get; }

    /// <summary>The primary's docker bridge IP; named listens on port 53 (UDP and TCP).</summary>
    public IPAddress PrimaryAddress { get; }

    /// <summary>The secondary's docker bridge IP; named listens on port 53 (UDP and TCP).</summary>
    public IPAddress SecondaryAddress { get; }

    /// <summary>The primary's name in the zone's NS set (and the SOA's MNAME), glued to <see cref="PrimaryAddress"/>.</summary>
    public string PrimaryName => $"ns1.{Zone}";

    /// <summary>The secondary's name in the zone's NS set, glued to <see cref="SecondaryAddress"/>.</summary>
    public string SecondaryName => $"ns2.{Zone}";

    public string TsigKeyName => "reconciler-update";

    public string TsigAlgorithm => "hmac-sha256";

    /// <summary>The TSIG key's secret, base64, new for every pair: no test passes on a key written down.</summary>
    public string TsigSecret { get; }

    /// <summary>
    /// Starts the two containers idle, has the image's rc-zone write each one's named.conf (and the primary's zone and
    /// key) with the other's bridge IP in it, then starts named on both; returns once both answer the zone's SOA authoritatively, that is once the
    /// secondary has transferred the zone.
    /// </summary>
    public static async Task<DnsZonePair> StartAsync(string zone = DefaultZone, CancellationToken ct = default)
    {
        zone = zone.TrimEnd('.');
        var primary = BuildIdleContainer();
        var secondary = BuildIdleContainer();
        try
        {
            await Task.WhenAll(primary.StartAsync(ct), secondary.StartAsync(ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await Task.WhenAll(primary.DisposeAsync().AsTask(), secondary.DisposeAsync().AsTask()).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Could not start {Image}: {ex.Message} -- is dockerd running and the image built? Run scripts/build-images.sh (as root).",
                ex);
        }

        var pair = new DnsZonePair(zone, primary, secondary, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            await pair.ConfigurePrimaryAsync(ct).ConfigureAwait(false);
            await pair.ConfigureSecondaryAsync(ct).ConfigureAwait(false);
            // The primary first: the secondary's first transfer is what makes it answer for the zone at all.
            await StartNamedAsync(primary, pair.PrimaryAddress, zone, ct).ConfigureAwait(false);
            await StartNamedAsync(secondary, pair.SecondaryAddress, zone, ct).ConfigureAwait(false);
        }
        catch
        {
            await pair.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return pair;
    }

    /// <summary>Stops named on the secondary (cleanly, so it keeps its copy of the zone on disk); the container and its IP stay.</summary>
    public Task StopSecondaryAsync(CancellationToken ct = default) => StopNamedAsync(_secondary, ct);

    /// <summary>
    /// Starts named on the secondary again and returns as soon as it answers for the zone, from the copy it kept: it
    /// may still be behind the primary until its next SOA refresh (at most 5 s later) brings it up to date.
    /// </summary>
    public Task StartSecondaryAsync(CancellationToken ct = default) => StartNamedAsync(_secondary, SecondaryAddress, Zone, ct);

    /// <summary>
    /// Replaces the TXT records of <paramref name="name"/> (absolute, e.g. "sel._domainkey.example.test") on the primary
    /// with one record holding <paramref name="value"/>, split into 255-byte strings as a long DKIM key needs. Sent with
    /// nsupdate from inside the primary, signed with the TSIG key, so only names under _domainkey are allowed.
    /// </summary>
    public async Task SetTxtOnPrimaryAsync(string name, string value, int ttl = 5, CancellationToken ct = default)
    {
        var owner = Absolute(name);
        var script = new StringBuilder()
            .Append($"server {PrimaryAddress} 53\n")
            .Append($"zone {Zone}.\n")
            .Append($"update delete {owner} TXT\n")
            .Append($"update add {owner} {ttl} TXT {QuotedTxtStrings(value)}\n")
            .Append("send\n")
            .ToString();
        await _primary.CopyAsync(Encoding.ASCII.GetBytes(script), "/tmp/nsupdate.txt", ct: ct).ConfigureAwait(false);
        await ExecOrThrowAsync(_primary, $"nsupdate -k /etc/bind/{TsigKeyName}.key /tmp/nsupdate.txt", ct).ConfigureAwait(false);
    }

    /// <summary>
    /// What <paramref name="server"/> answers for <paramref name="name"/> (absolute) asked directly, without recursion:
    /// dig +short's output, trimmed (TXT strings quoted, one record a line; empty when there is no such record).
    /// Runs dig inside the primary container. Throws when the server does not answer at all.
    /// </summary>
    public async Task<string> DigAsync(IPAddress server, string name, string type = "TXT", CancellationToken ct = default)
    {
        var stdout = await ExecOrThrowAsync(_primary, $"dig +short +norecurse +time=2 +tries=2 @{server} {Absolute(name)} {type}", ct)
            .ConfigureAwait(false);
        return stdout.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_primary.DisposeAsync().AsTask(), _secondary.DisposeAsync().AsTask()).ConfigureAwait(false);
    }

    public override string ToString() => $"{Zone} (primary {PrimaryAddress}, secondary {SecondaryAddress})";

    // The image's entrypoint idles, so named starts only after the configuration below is written.
    private static IContainer BuildIdleContainer() =>
        new ContainerBuilder(Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel(DebianHost.TestLabel, "true")
            .Build();

    // The image's rc-zone writes named.conf, the zone and the key exactly as scripts/demo.sh has it do for the demo.
    private Task ConfigurePrimaryAsync(CancellationToken ct) =>
        RcZoneAsync(_primary, ["primary", Zone, PrimaryAddress.ToString(), SecondaryAddress.ToString(), TsigKeyName, TsigSecret], ct);

    private Task ConfigureSecondaryAsync(CancellationToken ct) =>
        RcZoneAsync(_secondary, ["secondary", Zone, SecondaryAddress.ToString(), PrimaryAddress.ToString()], ct);

    // Returns once named answers the zone's SOA authoritatively (for a secondary: once it has transferred the zone).
    private static Task StartNamedAsync(IContainer container, IPAddress address, string zone, CancellationToken ct) =>
        RcZoneAsync(container, ["start", address.ToString(), zone], ct);

    // Cleanly, so a secondary keeps its copy of the zone on disk; returns once named has exited.
    private static Task StopNamedAsync(IContainer container, CancellationToken ct) => RcZoneAsync(container, ["stop"], ct);

    // Arguments as a list, never through a shell: the secret is one of them. rc-zone says what failed (with the end of
    // named's log when named does not come up).
    private static async Task RcZoneAsync(IContainer container, IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await container.ExecAsync([RcZone, .. args], ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rc-zone {args[0]} failed in {container.Name} ({result.ExitCode}):\n{result.Stdout}{result.Stderr}");
        }
    }

    private static async Task<string> ExecOrThrowAsync(IContainer container, string shellCommand, CancellationToken ct)
    {
        var result = await container.ExecAsync(["sh", "-c", shellCommand], ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{shellCommand}' failed in {container.Name} ({result.ExitCode}):\n{result.Stdout}{result.Stderr}\n"
                + await NamedLogAsync(container, ct).ConfigureAwait(false));
        }

        return result.Stdout;
    }

    private static async Task<string> NamedLogAsync(IContainer container, CancellationToken ct)
    {
        var result = await container.ExecAsync(["sh", "-c", $"tail -n 30 {LogFile} 2>/dev/null"], ct).ConfigureAwait(false);
        return result.Stdout.Length == 0 ? "(no named log)" : "named log:\n" + result.Stdout;
    }

    private static string Absolute(string name) => name.EndsWith('.') ? name : name + ".";

    // One TXT record's strings as nsupdate reads them: at most 255 bytes each, quoted, with quote and backslash escaped.
    private static string QuotedTxtStrings(string value)
    {
        if (!Ascii.IsValid(value))
        {
            throw new ArgumentException("the fixture splits TXT values by character: ASCII only", nameof(value));
        }

        if (value.Length == 0)
        {
            return "\"\"";
        }

        var strings = value.Chunk(255).Select(chunk => new string(chunk).Replace("\\", "\\\\").Replace("\"", "\\\""));
        return string.Join(' ', strings.Select(s => $"\"{s}\""));
    }
}
