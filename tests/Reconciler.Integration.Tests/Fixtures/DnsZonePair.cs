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

    // named writes its pid here; its directory does not exist until the fixture makes it (no init script runs).
    private const string PidFile = "/run/named/named.pid";
    private const string LogFile = "/var/cache/bind/named.log";
    private const string KeyFile = "/etc/bind/reconciler-update.key";
    private static readonly TimeSpan NamedReadyTimeout = TimeSpan.FromSeconds(30);

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
    /// Starts the two containers idle, writes each one's named.conf (and the primary's zone) with the other's bridge
    /// IP in it, then starts named on both; returns once both answer the zone's SOA authoritatively, that is once the
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
        await ExecOrThrowAsync(_primary, $"nsupdate -k {KeyFile} /tmp/nsupdate.txt", ct).ConfigureAwait(false);
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

    private async Task ConfigurePrimaryAsync(CancellationToken ct)
    {
        var keyFile = $$"""
            key "{{TsigKeyName}}" {
                algorithm {{TsigAlgorithm}};
                secret "{{TsigSecret}}";
            };

            """;
        // SOA: refresh 5, retry 5, expire 1 h, negative TTL 5 -- a restarted secondary catches up within seconds
        // and a test never waits on a cached "no such name" for long.
        var zoneFile = $"""
            $TTL 5
            @    IN SOA {PrimaryName}. hostmaster.{Zone}. ( 1 5 5 3600 5 )
            @    IN NS  {PrimaryName}.
            @    IN NS  {SecondaryName}.
            ns1  IN A   {PrimaryAddress}
            ns2  IN A   {SecondaryAddress}

            """;
        // notify explicit: only the secondary is told, right away (notify-delay 0), of every update.
        var zoneClause = $$"""
            include "{{KeyFile}}";

            zone "{{Zone}}" {
                type primary;
                file "/var/lib/bind/db.{{Zone}}";
                update-policy {
                    grant {{TsigKeyName}} wildcard *._domainkey.{{Zone}}. TXT;
                };
                notify explicit;
                also-notify { {{SecondaryAddress}}; };
                allow-transfer { {{SecondaryAddress}}; };
            };
            """;
        await WriteAsync(_primary, KeyFile, keyFile, ct).ConfigureAwait(false);
        await WriteAsync(_primary, $"/var/lib/bind/db.{Zone}", zoneFile, ct).ConfigureAwait(false);
        await WriteAsync(_primary, "/etc/bind/named.conf", NamedConf(zoneClause), ct).ConfigureAwait(false);
        // named (as user bind) writes the journal of updates next to the zone file, and reads the key.
        await ExecOrThrowAsync(_primary,
            $"chown bind:bind /var/lib/bind/db.{Zone} && chown root:bind {KeyFile} && chmod 0640 {KeyFile}"
            + $" && named-checkzone {Zone} /var/lib/bind/db.{Zone} && named-checkconf /etc/bind/named.conf", ct).ConfigureAwait(false);
    }

    private async Task ConfigureSecondaryAsync(CancellationToken ct)
    {
        var zoneClause = $$"""
            zone "{{Zone}}" {
                type secondary;
                primaries { {{PrimaryAddress}}; };
                file "/var/cache/bind/db.{{Zone}}";
            };
            """;
        await WriteAsync(_secondary, "/etc/bind/named.conf", NamedConf(zoneClause), ct).ConfigureAwait(false);
        await ExecOrThrowAsync(_secondary, "named-checkconf /etc/bind/named.conf", ct).ConfigureAwait(false);
    }

    // Authoritative only (recursion no), answers anyone. BIND raises a zone's SOA refresh/retry to min-refresh-time
    // and min-retry-time (300 s and 500 s by default), so those come down to the SOA's 5 s.
    private static string NamedConf(string zoneClause) => $$"""
        options {
            directory "/var/cache/bind";
            pid-file "{{PidFile}}";
            listen-on { any; };
            listen-on-v6 { none; };
            recursion no;
            allow-query { any; };
            dnssec-validation no;
            notify-delay 0;
            min-refresh-time 5;
            min-retry-time 5;
        };

        {{zoneClause}}

        """;

    private static async Task StartNamedAsync(IContainer container, IPAddress address, string zone, CancellationToken ct)
    {
        // named daemonizes and its first process exits only once the configuration is loaded, so a bad config fails here.
        await ExecOrThrowAsync(container,
            $"install -d -o bind -g bind /run/named && named -u bind -c /etc/bind/named.conf -L {LogFile}", ct).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + NamedReadyTimeout;
        while (true)
        {
            // "aa" in the header: the server answers for the zone itself, which a secondary does only once it has a copy.
            var result = await container.ExecAsync(
                ["dig", "+norecurse", "+noall", "+comments", "+time=1", "+tries=1", $"@{address}", $"{zone}.", "SOA"], ct)
                .ConfigureAwait(false);
            if (result.ExitCode == 0 && result.Stdout.Contains("status: NOERROR", StringComparison.Ordinal)
                                     && result.Stdout.Contains(" aa", StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"named on {address} did not answer for {zone} within {NamedReadyTimeout.TotalSeconds} s; last dig:\n{result.Stdout}{result.Stderr}\n"
                    + await NamedLogAsync(container, ct).ConfigureAwait(false));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    private static async Task StopNamedAsync(IContainer container, CancellationToken ct)
    {
        // SIGTERM: named writes out what it holds (the secondary's zone copy) before it exits; wait until it has.
        await ExecOrThrowAsync(container,
            $"set -e; pid=$(cat {PidFile}); kill \"$pid\"; i=0; while kill -0 \"$pid\" 2>/dev/null; do i=$((i+1));"
            + " if [ $i -gt 150 ]; then echo 'named did not exit in 15 s' >&2; exit 1; fi; sleep 0.1; done", ct).ConfigureAwait(false);
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

    private static Task WriteAsync(IContainer container, string path, string content, CancellationToken ct) =>
        container.CopyAsync(Encoding.UTF8.GetBytes(content), path, ct: ct);

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
