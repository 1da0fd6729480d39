using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// The map-file side of the provider. A map holds a database password, so its content never travels back: the host
/// reports the file's SHA-256, mode, owner and group, its settings with the password lines left out, and the SHA-256
/// of the password alone, which is compared with the declared one here and then dropped.
/// </summary>
public sealed partial class PostfixProvider
{
    /// <summary>Every line but the password and its continuation lines, without comments and blank lines, at most 200.</summary>
    private const string SettingsAwk =
        "/^[ \\t]*password[ \\t]*=/ { skip = 1; next } " +
        "skip && /^[ \\t]/ { next } " +
        "{ skip = 0 } " +
        "/^[ \\t]*(#|$)/ { next } " +
        "n++ < 200 { print \"K\\t\" i \"\\t\" $0 }";

    /// <summary>The same lines as <see cref="SettingsAwk"/>, as trimmed <c>key TAB value</c> for hashing on the host.</summary>
    private const string SettingsPairsAwk =
        "/^[ \\t]*password[ \\t]*=/ { skip = 1; next } " +
        "skip && /^[ \\t]/ { next } " +
        "{ skip = 0 } " +
        "/^[ \\t]*(#|$)/ { next } " +
        "n++ < 200 { e = index($0, \"=\"); k = e ? substr($0, 1, e - 1) : $0; v = e ? substr($0, e + 1) : \"\"; " +
        "gsub(/^[ \\t]+|[ \\t\\r]+$/, \"\", k); gsub(/^[ \\t]+|[ \\t\\r]+$/, \"\", v); print k \"\\t\" v }";

    /// <summary>The password's value as postfix reads it (trimmed, continuation lines joined), printed without a newline.</summary>
    private const string PasswordAwk =
        "/^[ \\t]*password[ \\t]*=/ { v = $0; sub(/^[^=]*=[ \\t]*/, \"\", v); sub(/[ \\t\\r]+$/, \"\", v); pw = v; on = 1; found = 1; next } " +
        "on && /^[ \\t]+[^ \\t]/ { v = $0; sub(/^[ \\t]+/, \"\", v); sub(/[ \\t\\r]+$/, \"\", v); pw = pw \" \" v; next } " +
        "{ on = 0 } " +
        "END { if (found) printf \"%s\", pw }";

    /// <summary>What the file facts read of a map: links followed, and the content's digest only (it holds a password).</summary>
    private static readonly FileFactsRead MapRead = new(FollowLinks: true, Content: FileContentRead.Digest);

    /// <summary>The group of mail_owner when the host does not say (Debian's).</summary>
    private const string DefaultGroup = "postfix";

    /// <summary>config_directory, and for maps the readers' group, the table types and each map file's facts.</summary>
    private static string TablesReadScript(IReadOnlyList<PostfixResource> resources)
    {
        var script = new StringBuilder();
        script.AppendLine("rc_pf_conf=$(postconf -h config_directory 2>/dev/null)");
        script.AppendLine("printf 'D\\t%s\\n' \"$rc_pf_conf\"");
        if (!resources.OfType<PostfixMapResource>().Any())
        {
            return script.ToString();
        }

        script.AppendLine("printf 'G\\t%s\\n' \"$(id -gn \"$(postconf -h mail_owner 2>/dev/null)\" 2>/dev/null)\"");
        script.AppendLine("postconf -m 2>/dev/null | awk '{ print \"T\\t\" $0 }'");
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is not PostfixMapResource map)
            {
                continue;
            }

            // $p is the path as its file facts read it, empty when they refused the path (PathSafety): nothing is read through it.
            script.Append(PathSafety.Resolved($"\"$rc_pf_conf\"/{Sh.Quote(map.Name)}", MapRead.FollowLinks));
            script.AppendLine("rc_pf_f=$p");
            script.AppendLine("if [ -n \"$p\" ] && [ -f \"$p\" ]; then");
            // Settings leave the host only when any local user could read the map; otherwise only their digests do.
            script.AppendLine("  rc_why=$(rc_hidden \"$rc_pf_f\")");
            script.AppendLine($"  if [ -z \"$rc_why\" ]; then timeout {HostText.ReadSeconds} head -c {HostText.MaxShownBytes} -- \"$rc_pf_f\" | awk -v i={i} '{SettingsAwk}'");
            script.AppendLine($"  else printf 'W\\t{i}\\t%s\\n' \"$rc_why\"; timeout {HostText.ReadSeconds} head -c {HostText.MaxShownBytes} -- \"$rc_pf_f\" | awk '{SettingsPairsAwk}' | while IFS= read -r rc_l; do");
            script.AppendLine($"    printf 'Q\\t{i}\\t%s\\t%s\\n' \"$(printf '%s' \"${{rc_l%%\"$(printf '\\t')\"*}}\" | sha256sum | cut -c1-64)\" \"$(printf '%s' \"${{rc_l#*\"$(printf '\\t')\"}}\" | sha256sum | cut -c1-64)\"; done; fi");
            script.AppendLine($"  printf 'P\\t{i}\\t%s\\n' \"$(timeout {HostText.ReadSeconds} head -c {HostText.MaxShownBytes} -- \"$rc_pf_f\" | awk '{PasswordAwk}' | sha256sum | cut -d' ' -f1)\"");
            script.AppendLine("fi");
        }

        return script.ToString();
    }

    /// <summary>For each table file a declared value names, an <c>R</c> line when the file is not on the host.</summary>
    private static string ReferencesReadScript(PostfixMainResource main, int index)
    {
        var script = new StringBuilder();
        foreach (var reference in PostfixTableReferences.In(main.Value))
        {
            var path = reference.InConfigDirectory is { } rest ? $"\"$rc_pf_conf\"/{Sh.Quote(rest)}" : Sh.Quote(reference.Path);
            script.AppendLine($"[ -e {path} ] || printf 'R\\t{index}\\t%s\\n' {Sh.Quote(reference.Text)}");
        }

        return script.ToString();
    }

    /// <summary>Host-wide facts for maps: config_directory, the group mail_owner's daemons read maps as, and the table types postconf -m lists.</summary>
    private sealed record TableFacts(string Directory, string Group, IReadOnlySet<string> Types)
    {
        public static TableFacts Parse(IReadOnlyList<string> lines)
        {
            string? Single(string tag) => lines.FirstOrDefault(l => l.StartsWith(tag, StringComparison.Ordinal))?[tag.Length..];
            var group = Single("G\t");
            return new TableFacts(
                Single("D\t") ?? "/etc/postfix",
                string.IsNullOrEmpty(group) ? DefaultGroup : group,
                lines.Where(l => l.StartsWith("T\t", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToHashSet(StringComparer.Ordinal));
        }
    }

    private static PostfixMapObserved ParseMap(
        PostfixMapResource map, bool installed, TableFacts tables, FileFacts facts0, IReadOnlyDictionary<string, string[]> single, IReadOnlyList<string[]> facts)
    {
        PostfixMapFile? file = null;
        if (facts0 is { IsRegularFile: true } f)
        {
            var withheld = single.GetValueOrDefault("W")?.FirstField();
            file = new PostfixMapFile(
                f.Mode!,
                f.Owner!,
                f.Group!,
                f.Sha256 ?? "",
                withheld is null
                    ? ParseSettings(facts.Where(k => k[0] == "K").Select(k => string.Join('\t', k.Skip(2))))
                    : facts.Where(q => q[0] == "Q" && q.Length >= 4).Select(q => new KeyValuePair<string, string>(q[2], q[3])).ToList(),
                single.GetValueOrDefault("P")?.FirstField() == Sha256Text.Hex(map.Password ?? "")) { Withheld = withheld };
        }

        return new PostfixMapObserved(installed, tables.Directory, tables.Group, tables.Types.Contains(map.Type), file, facts0.Refused);
    }

    /// <summary>
    /// <c>key = value</c> lines as postfix's table configuration reader takes them: a line starting with whitespace
    /// continues the previous one, whitespace around key and value is dropped, and a later key replaces an earlier one.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParseSettings(IEnumerable<string> lines)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var line in lines)
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && settings.Count > 0)
            {
                var last = settings[^1];
                settings[^1] = new(last.Key, $"{last.Value} {line.Trim()}".Trim());
                continue;
            }

            var eq = line.IndexOf('=');
            var (key, value) = eq < 0 ? (line.Trim(), "") : (line[..eq].Trim(), line[(eq + 1)..].Trim());
            settings.RemoveAll(s => s.Key == key);
            settings.Add(new(key, value));
        }

        return settings;
    }

    /// <summary>The declared value's table files that are neither on the host nor declared as maps, or null.</summary>
    private static string? MissingTable(IReadOnlyList<string[]> facts, string directory, IEnumerable<PostfixMapResource> maps)
    {
        var declared = maps.Select(m => m.Name).ToList();
        var missing = facts.Where(f => f[0] == "R" && f.Length >= 3).Select(f => f[2])
            .Where(text => PostfixTableReferences.In(text) is [var reference] && !declared.Any(name => PostfixTableReferences.Names(reference, directory, name)))
            .ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static bool MapNeedsChange(PostfixMapResource map, PostfixMapObserved observed) =>
        observed.File is not { } file
        || file.Sha256 != Sha256Text.Hex(map.Render())
        || file.Mode != FileResource.NormalizeMode(PostfixMapResource.Mode)
        || file.Owner != PostfixMapResource.Owner
        || file.Group != observed.Group;

    /// <summary>
    /// What differs, key by key, without the password: it shows only as a sensitive attribute. A file whose settings
    /// all match but whose text differs (comments, order, spacing) says so in one attribute.
    /// </summary>
    private static List<AttributeChange> MapAttributes(PostfixMapResource map, PostfixMapObserved observed)
    {
        var mode = FileResource.NormalizeMode(PostfixMapResource.Mode);
        var owner = $"{PostfixMapResource.Owner}:{observed.Group}";
        if (observed.File is not { } file)
        {
            List<AttributeChange> created =
            [
                AttributeChange.Of(PostfixAttributeNames.Path, null, $"{observed.Directory.TrimEnd('/')}/{map.Name}"),
                AttributeChange.Of(PostfixAttributeNames.Owner, null, owner),
                AttributeChange.Of(PostfixAttributeNames.Mode, null, mode),
                .. map.Settings.Select(s => AttributeChange.Of(PostfixAttributeNames.Setting(s.Key), null, s.Value)),
            ];
            if (map.Password is not null)
            {
                created.Add(AttributeChange.Secret(PostfixAttributeNames.Password, before: false, after: true));
            }

            return created;
        }

        var changes = file.Withheld is { } why ? WithheldSettingChanges(map, file, why) : SettingChanges(map, file);
        if (!file.PasswordMatches)
        {
            changes.Add(AttributeChange.Secret(PostfixAttributeNames.Password, before: true, after: map.Password is not null));
        }

        if (changes.Count == 0 && file.Sha256 != Sha256Text.Hex(map.Render()))
        {
            changes.Add(AttributeChange.Of(PostfixAttributeNames.Text, "edited on the host (comments, order or spacing)", "as rendered from the spec"));
        }

        if ($"{file.Owner}:{file.Group}" != owner)
        {
            changes.Add(AttributeChange.Of(PostfixAttributeNames.Owner, $"{file.Owner}:{file.Group}", owner));
        }

        if (file.Mode != mode)
        {
            changes.Add(AttributeChange.Of(PostfixAttributeNames.Mode, file.Mode, mode));
        }

        return changes;
    }

    /// <summary>A readable map: each setting as live value → declared value, in the order main.cf documents them.</summary>
    private static List<AttributeChange> SettingChanges(PostfixMapResource map, PostfixMapFile file)
    {
        var live = file.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var wanted = map.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var order = PostfixMapResource.MysqlKeys.ToList();
        var keys = map.Settings.Select(s => s.Key).Concat(file.Settings.Select(s => s.Key)).Distinct(StringComparer.Ordinal)
            .OrderBy(k => order.IndexOf(k) is var at and >= 0 ? at : int.MaxValue).ToList();
        return keys
            .Select(k => AttributeChange.Of(PostfixAttributeNames.Setting(k), live.GetValueOrDefault(k), wanted.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)
            .ToList();
    }

    /// <summary>
    /// A map no local user could read: its settings came back as digests, so each declared key is compared by digest and
    /// a differing one is shown as not shown → the declared value; settings the spec does not declare are only counted.
    /// </summary>
    private static List<AttributeChange> WithheldSettingChanges(PostfixMapResource map, PostfixMapFile file, string why)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Settings)
        {
            live[key] = value;
        }

        var declared = map.Settings.Select(s => Sha256Text.Hex(s.Key)).ToHashSet(StringComparer.Ordinal);
        var changes = map.Settings
            .Where(s => !live.TryGetValue(Sha256Text.Hex(s.Key), out var value) || value != Sha256Text.Hex(s.Value))
            .Select(s => new AttributeChange(PostfixAttributeNames.Setting(s.Key), live.ContainsKey(Sha256Text.Hex(s.Key)) ? new PlanValue.Withheld(why, "value differs") : new PlanValue.Absent(), PlanValue.Of(s.Value)))
            .ToList();
        var others = live.Keys.Count(k => !declared.Contains(k) && k != Sha256Text.Hex(PostfixMapResource.PasswordKey));
        if (others > 0)
        {
            changes.Add(new AttributeChange(PostfixAttributeNames.OtherSettings, new PlanValue.Withheld(why, $"{others} line(s) the spec does not declare"), new PlanValue.Absent()));
        }

        return changes;
    }
}
