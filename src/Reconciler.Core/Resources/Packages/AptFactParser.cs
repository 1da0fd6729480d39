using System.Globalization;
using System.Text.RegularExpressions;
using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// Parses the packages read's records (all host-wide, see <see cref="AptRead"/>) strictly: every record has its exact
/// field count, every name and version its grammar, every simulation line its apt form; anything else, or more than
/// <see cref="MaxRecords"/> records, makes the answer malformed. Host output is hostile.
/// </summary>
public static partial class AptFactParser
{
    /// <summary>Far above a real host's answer (a simulation that pulls in a desktop is a few thousand lines).</summary>
    public const int MaxRecords = 20_000;

    public static AptHostFacts Parse(IReadOnlyList<string> lines, bool refreshAsked)
    {
        if (lines.Count > MaxRecords) throw new MalformedFactsException($"packages facts: more than {MaxRecords} records");
        var dpkg = new Dictionary<string, DpkgEntry>(StringComparer.Ordinal);
        var available = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var simulated = new List<AptAction>();
        string? error = null;
        TimeSpan? age = null;
        var sawTime = false;
        var exits = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "D" when f.Length == 5:
                    var name = Name(f[1]);
                    if (!StatusAbbrev().IsMatch(f[2]) || (f[3].Length > 0 && !PackageNames.IsVersion(f[3])) || !Want().IsMatch(f[4]))
                        throw Malformed($"a dpkg record for {name} that is not status, version and selection");
                    if (!dpkg.TryAdd(name, new DpkgEntry(f[2], f[3], f[4]))) throw Malformed($"dpkg answered for {name} twice");
                    break;
                case "A" when f.Length == 3:
                    var versions = available.TryGetValue(Name(f[1]), out var known) ? known : available[f[1]] = [];
                    if (!PackageNames.IsVersion(f[2])) throw Malformed($"an available version of {f[1]} that is not a Debian version");
                    if (!versions.Contains(f[2])) versions.Add(f[2]);
                    break;
                case "S" when f.Length == 2:
                    simulated.Add(Action(f[1]));
                    break;
                case "E" when f.Length == 2:
                    // apt's own error, shown in the plan: one line, bounded, printable.
                    error ??= Printable(f[1]);
                    break;
                case "X" when f.Length == 3 && f[1] is "install" or "purge":
                    if (!exits.Add(f[1]) || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var rc)) throw Malformed("a simulation exit record that is not one number per call");
                    if (rc != 0) error ??= $"apt-get -s {f[1]} exited {rc}";
                    break;
                case "T" when f.Length == 3 && refreshAsked && !sawTime:
                    sawTime = true;
                    var now = Seconds(f[1]);
                    age = f[2] == "none" ? null : TimeSpan.FromSeconds(Math.Max(0, now - Seconds(f[2])));
                    break;
                default:
                    throw Malformed($"an unexpected '{Printable(f[0], 16)}' record");
            }
        }

        if (refreshAsked && !sawTime) throw Malformed("no age of the apt lists");
        return new AptHostFacts(dpkg, available.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal), simulated, error, age);
    }

    /// <summary>One simulation line: <c>Inst NAME [FROM] (TO ORIGIN [ARCH])</c>, <c>Remv NAME [FROM]</c> or <c>Purg NAME [FROM]</c>.</summary>
    public static AptAction Action(string line)
    {
        var m = SimulationLine().Match(line);
        if (!m.Success) throw Malformed($"a simulation line apt does not print: '{Printable(line, 60)}'");
        string? Group(string g) => m.Groups[g].Success ? m.Groups[g].Value : null;
        var verb = m.Groups["verb"].Value;
        var to = Group("to");
        if ((verb == "Inst") != (to is not null)) throw Malformed($"a simulation line apt does not print: '{Printable(line, 60)}'");
        foreach (var v in new[] { Group("from"), to })
        {
            if (v is not null && !PackageNames.IsVersion(v)) throw Malformed("a simulation line whose version is not a Debian version");
        }

        return new AptAction(verb, m.Groups["name"].Value, Group("from"), to);
    }

    private static string Name(string name) =>
        PackageNames.IsName(name) ? name : throw Malformed("a record whose package name is not a Debian package name");

    private static long Seconds(string text) =>
        text.Length is > 0 and <= 12 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw Malformed("a list age that is not seconds since the epoch");

    /// <summary>Host text as the plan may show it: control characters replaced, at most <paramref name="max"/> characters.</summary>
    public static string Printable(string text, int max = 200)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return Excerpt.Cut(clean, max);
    }

    private static MalformedFactsException Malformed(string what) => new($"packages facts: {what}");

    [GeneratedRegex(@"^[uihrp][ncHUFWti][ R]\z")]
    private static partial Regex StatusAbbrev();

    [GeneratedRegex(@"^(unknown|install|hold|deinstall|purge)\z")]
    private static partial Regex Want();

    // The name may carry an architecture (libc6:amd64); the origin inside the parentheses is free text apt prints
    // (release labels), bounded; a trailing " []" is apt's list of broken dependencies, empty or not.
    [GeneratedRegex(@"^(?<verb>Inst|Remv|Purg) (?<name>[a-z0-9][a-z0-9+.-]{1,99})(:[a-z0-9-]{1,20})?( \[(?<from>[^\]\s]{1,110})\])?( \((?<to>[^\s()]{1,110}) [^()\n]{0,300}\))?( \[[^\]\n]{0,300}\])?\z")]
    private static partial Regex SimulationLine();
}
