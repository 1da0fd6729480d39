using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Services;

/// <summary>
/// The services' fact query and its parser. One read for every service on a host: on systemd one <c>systemctl show</c>
/// for all units, each unit's block numbered by its position; on sysv each init script's rc links and status.
/// </summary>
public static class ServiceFacts
{
    private static readonly string[] ShowTags = ["Id", "LoadState", "UnitFileState", "ActiveState"];

    private static readonly HashSet<string> LoadStates = ["loaded", "not-found", "masked", "error", "bad-setting", "merged", "stub"];

    private static readonly HashSet<string> FileStates =
        ["", "enabled", "enabled-runtime", "linked", "linked-runtime", "alias", "masked", "masked-runtime", "static", "indirect", "disabled", "generated", "transient", "bad"];

    private static readonly HashSet<string> ActiveStates = ["active", "reloading", "inactive", "failed", "activating", "deactivating", "maintenance"];

    /// <summary>The read: which manager runs the host, then each service's state (records MANAGER; Id, LoadState, UnitFileState, ActiveState or SYSV, by index).</summary>
    public static string ReadScript(IReadOnlyList<string> names)
    {
        var units = string.Join(" ", names.Select(n => Sh.Quote(n + ".service")));
        var plain = string.Join(" ", names.Select(Sh.Quote));
        var script = new StringBuilder();
        script.AppendLine("if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then");
        script.AppendLine("  printf 'MANAGER\\tsystemd\\n'");
        // One call for every unit; its blocks come in the order asked, separated by one empty line.
        script.AppendLine($"  rc_show=$(systemctl show -p Id,LoadState,UnitFileState,ActiveState -- {units} </dev/null) || {{ echo 'systemctl show failed' >&2; exit 1; }}");
        script.AppendLine("  printf '%s\\n' \"$rc_show\" | awk 'BEGIN { i = 0 } $0 == \"\" { i++; next } { e = index($0, \"=\"); if (e == 0) { print \"BAD\\t\" i; next } printf \"%s\\t%d\\t%s\\n\", substr($0, 1, e - 1), i, substr($0, e + 1) }'");
        script.AppendLine("else");
        script.AppendLine("  printf 'MANAGER\\tsysv\\n'");
        script.AppendLine("  rc_i=0");
        // A plan runs only an init script that says it is this service (an LSB header providing the name): 'status' is not
        // an argument every script under /etc/init.d heeds (Debian's rcS runs every boot script whatever it is given).
        script.AppendLine("  rc_svc_lsb() { timeout 10 head -c 65536 -- \"/etc/init.d/$1\" | rc_svc_name=\"$1\" awk 'BEGIN { n = ENVIRON[\"rc_svc_name\"] } /^### BEGIN INIT INFO/ { h = 1; next } /^### END INIT INFO/ { exit } h && /^#[ \\t]*Provides:/ { sub(/^#[ \\t]*Provides:/, \"\"); for (i = 1; i <= NF; i++) if ($i == n) f = 1 } END { exit !f }'; }");
        script.AppendLine($"  for rc_n in {plain}; do");
        script.AppendLine("    if [ -x \"/etc/init.d/$rc_n\" ] && [ -f \"/etc/init.d/$rc_n\" ] && ! rc_svc_lsb \"$rc_n\"; then");
        script.AppendLine("      printf 'SYSV\\t%d\\tnot-lsb\\t-\\n' \"$rc_i\"");
        script.AppendLine("    elif [ -x \"/etc/init.d/$rc_n\" ] && [ -f \"/etc/init.d/$rc_n\" ]; then");
        script.AppendLine("      rc_en=disabled");
        script.AppendLine("      for rc_l in /etc/rc[2345].d/S[0-9][0-9]\"$rc_n\"; do [ -e \"$rc_l\" ] && rc_en=enabled; done");
        script.AppendLine("      rc_st=0; timeout 20 \"/etc/init.d/$rc_n\" status </dev/null >/dev/null 2>&1 || rc_st=$?");
        script.AppendLine("      printf 'SYSV\\t%d\\t%s\\t%s\\n' \"$rc_i\" \"$rc_en\" \"$rc_st\"");
        script.AppendLine("    else");
        script.AppendLine("      printf 'SYSV\\t%d\\tmissing\\t-\\n' \"$rc_i\"");
        script.AppendLine("    fi");
        script.AppendLine("    rc_i=$((rc_i + 1))");
        script.AppendLine("  done");
        script.Append("fi");
        return script.ToString();
    }

    /// <summary>One observed state per service, from the kind's own lines.</summary>
    /// <exception cref="MalformedFactsException">The answer names no manager or two, a record is missing, repeated, unknown or out of its grammar.</exception>
    public static IReadOnlyList<ServiceObserved> Parse(string kind, IReadOnlyList<string> lines, int count)
    {
        if (count == 0) return [];
        var managers = lines.Where(l => l.StartsWith("MANAGER\t", StringComparison.Ordinal)).ToList();
        var manager = managers switch
        {
            ["MANAGER\tsystemd"] => ServiceManager.Systemd,
            ["MANAGER\tsysv"] => ServiceManager.Sysv,
            _ => throw new MalformedFactsException($"{kind} facts: {managers.Count} MANAGER record(s), not one naming systemd or sysv"),
        };
        var byIndex = FactRecords.ByIndex(kind, lines, count, new HashSet<string>(["MANAGER"], StringComparer.Ordinal));
        return Enumerable.Range(0, count).Select(i =>
        {
            var tagged = FactRecords.ByTag(kind, byIndex[i], i);
            return manager == ServiceManager.Systemd ? Systemd(kind, tagged, i) : Sysv(kind, tagged, i);
        }).ToList();
    }

    private static ServiceObserved Systemd(string kind, IReadOnlyDictionary<string, string[]> tagged, int i)
    {
        if (tagged.Count != ShowTags.Length || ShowTags.Any(t => !tagged.ContainsKey(t)) || tagged.Values.Any(r => r.Length != 3))
        {
            throw new MalformedFactsException($"{kind} facts: service {i} is not answered with exactly {string.Join(", ", ShowTags)}");
        }

        string Field(string tag, HashSet<string> allowed) => allowed.Contains(tagged[tag][2])
            ? tagged[tag][2]
            : throw new MalformedFactsException($"{kind} facts: service {i} has {tag} '{Shorten(tagged[tag][2])}', which systemd does not print");

        var load = Field("LoadState", LoadStates);
        var file = Field("UnitFileState", FileStates);
        var active = Field("ActiveState", ActiveStates);
        if (load == "masked") file = "masked";
        return load == "not-found"
            ? new ServiceObserved(ServiceManager.Systemd, false, file, false)
            : new ServiceObserved(ServiceManager.Systemd, true, file, active is "active" or "reloading" or "activating",
                load is "error" or "bad-setting" ? $"systemd cannot load the unit (LoadState {load})" : null);
    }

    private static ServiceObserved Sysv(string kind, IReadOnlyDictionary<string, string[]> tagged, int i)
    {
        if (tagged.Count != 1 || !tagged.TryGetValue("SYSV", out var r) || r.Length != 4)
        {
            throw new MalformedFactsException($"{kind} facts: service {i} is not answered with one SYSV record");
        }

        if (r[2] == "missing" && r[3] == "-") return new ServiceObserved(ServiceManager.Sysv, false, "", false);
        if (r[2] == "not-lsb" && r[3] == "-")
        {
            return new ServiceObserved(ServiceManager.Sysv, true, "", false,
                "its init script has no LSB header that provides this name, so the plan did not run it ('status' is not an argument every script heeds)");
        }

        if (r[2] is not ("enabled" or "disabled") || !int.TryParse(r[3], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status > 255)
        {
            throw new MalformedFactsException($"{kind} facts: service {i}'s SYSV record '{Shorten(r[2])}' '{Shorten(r[3])}' is not its rc links and a status");
        }

        // LSB: 0 running; 1, 2, 3 not running (pid file or lock left, or clean); anything else unknown.
        return new ServiceObserved(ServiceManager.Sysv, true, r[2], status == 0,
            status <= 3 ? null : $"its init script's status answered {status}: whether it runs is unknown");
    }

    private static string Shorten(string text) => Excerpt.Cut(text, 32);
}
