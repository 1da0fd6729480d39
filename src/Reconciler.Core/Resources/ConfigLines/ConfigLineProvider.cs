using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.ConfigLines;

public sealed class ConfigLineProvider : ResourceProvider<ConfigLineResource, ConfigLineObserved>
{
    public override string Kind => ConfigLineResource.KindName;

    // Shared by read and apply so both agree on what "the line that sets KEY" is. Key and value travel in the
    // environment, not in -v, because awk would interpret backslashes in -v values.
    private const string AwkMatch = """
        function rc_value(line,   rest, i) {
          if (SEP == "=") {
            i = index(line, "="); if (i == 0) return "\001"
            rest = substr(line, 1, i - 1); gsub(/^[ \t]+|[ \t]+$/, "", rest)
            if (rest != KEY) return "\001"
            rest = substr(line, i + 1)
          } else {
            rest = line; sub(/^[ \t]+/, "", rest)
            if (substr(rest, 1, length(KEY)) != KEY) return "\001"
            rest = substr(rest, length(KEY) + 1)
            if (rest != "" && rest !~ /^[ \t]/) return "\001"
          }
          gsub(/^[ \t]+|[ \t]+$/, "", rest)
          return rest
        }
        BEGIN { KEY = ENVIRON["RC_KEY"]; SEP = ENVIRON["RC_SEP"]; VALUE = ENVIRON["RC_VALUE"] }
        """;

    // Every key of one file is matched in one pass over it: a line's value goes out as V INDEX VALUE for each resource
    // whose key it sets, or, for a file not shown, as INDEX VALUE to the loop that sends its digest instead.
    private const string AwkRead = """
        BEGIN { n = ENVIRON["RC_N"] + 0; hide = ENVIRON["RC_HIDE"]
          for (j = 0; j < n; j++) { K[j] = ENVIRON["RC_KEY_" j]; S[j] = ENVIRON["RC_SEP_" j]; X[j] = ENVIRON["RC_INDEX_" j] } }
        { for (j = 0; j < n; j++) { KEY = K[j]; SEP = S[j]; v = rc_value($0); if (v == "\001") continue
            if (hide == "") printf "V\t%s\t%s\n", X[j], v; else printf "%s\t%s\n", X[j], v } }
        """;

    protected override string ReadScript(IReadOnlyList<ConfigLineResource> resources)
    {
        var script = new StringBuilder(HostText.Library).AppendLine();
        script.Append(PathSafety.MemoSeed(resources.Select(r => Sh.Quote(r.Path))));
        // The lines of one file are read once for all its keys: the first resource of a file reads it, and the others
        // report what that read found (the same path, judged the same way, in the same snapshot of the host).
        // What that read found is kept under the first resource's index (rc_cl_x_I, rc_cl_why_I, rc_cl_read_I): a read of
        // another file in between must never stand in for it.
        var firstOfFile = new Dictionary<(string Path, bool Follow), int>();
        var firsts = resources.Select((r, i) => (r, i)).GroupBy(x => (x.r.Path, x.r.Follow)).Select(g => g.First().i);
        script.AppendLine(string.Concat(firsts.Select(i => $"rc_cl_read_{i}= rc_cl_x_{i}= rc_cl_why_{i}= ")).TrimEnd());
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            var facts = new StringBuilder();
            // The path is judged first (PathSafety): a config line edits system files, so a path another user controls
            // is refused like an unsafe one; with follow: true rc_chain has resolved the link, otherwise a link is reported.
            facts.AppendLine($"if [ -L \"$p\" ]; then printf 'L\\t{i}\\t%s\\n' \"$(readlink -- \"$p\" | head -c 1024 | tr -d '\\n' | tr '\\t' ' ')\"; p=; fi");
            if (firstOfFile.TryAdd((r.Path, r.Follow), i))
            {
                var keys = resources.Select((other, j) => (other, j)).Where(x => x.other.Path == r.Path && x.other.Follow == r.Follow).ToList();
                var env = $"RC_N={keys.Count} " + string.Join(' ', keys.Select((x, k) =>
                    $"RC_KEY_{k}={Sh.Quote(x.other.Key)} RC_SEP_{k}={Sh.Quote(x.other.Separator)} RC_INDEX_{k}={x.j}"));
                var awk = Sh.Quote(AwkMatch + AwkRead);
                // Values leave the host only when any local user could read the file; otherwise only their digests do.
                facts.AppendLine($$"""
                    rc_cl_x= rc_cl_why= rc_cl_read_{{i}}=
                    if [ -n "$p" ] && [ -f "$p" ]; then printf 'F\t{{i}}\n'; rc_cl_read_{{i}}=1
                      rc_st=$(stat -L -c '%s %A' -- "$p" | head -c 256); rc_size=${rc_st%% *}
                      case "$rc_size" in ''|*[!0-9]*|????????????????*) rc_cl_x="cannot stat" ;; esac
                      if [ -z "$rc_cl_x" ] && [ "$rc_size" -gt {{HostText.MaxReadBytes}} ]; then rc_cl_x="larger than {{HostText.MaxReadBytes / 1024 / 1024}} MiB ($rc_size bytes); not read"; fi
                      if [ -n "$rc_cl_x" ]; then printf 'X\t{{i}}\t%s\n' "$rc_cl_x"
                      else
                        rc_hidden_check "$p" 1 "${rc_st#* }"; rc_cl_why=$rc_hidden_why
                        if [ -z "$rc_cl_why" ]; then
                          timeout {{HostText.ReadSeconds}} head -c {{HostText.MaxReadBytes}} -- "$p" | {{env}} RC_HIDE= awk {{awk}}
                        else
                          printf 'W\t{{i}}\t%s\n' "$rc_cl_why"
                          timeout {{HostText.ReadSeconds}} head -c {{HostText.MaxReadBytes}} -- "$p" | {{env}} RC_HIDE=1 awk {{awk}} |
                            while IFS= read -r rc_v; do printf 'V\t%s\t%s\n' "${rc_v%%"$rc_memo_tab"*}" "$(printf '%s' "${rc_v#*"$rc_memo_tab"}" | sha256sum | cut -d' ' -f1)"; done
                        fi
                      fi
                    fi
                    rc_cl_x_{{i}}=$rc_cl_x rc_cl_why_{{i}}=$rc_cl_why
                    """);
            }
            else
            {
                var first = firstOfFile[(r.Path, r.Follow)];
                facts.AppendLine($$"""
                    if [ -n "$p" ] && [ -f "$p" ]; then printf 'F\t{{i}}\n'
                      if [ -z "$rc_cl_read_{{first}}" ]; then printf 'X\t{{i}}\t%s\n' "it changed while it was read; plan again"
                      elif [ -n "$rc_cl_x_{{first}}" ]; then printf 'X\t{{i}}\t%s\n' "$rc_cl_x_{{first}}"
                      elif [ -n "$rc_cl_why_{{first}}" ]; then printf 'W\t{{i}}\t%s\n' "$rc_cl_why_{{first}}"; fi
                    fi
                    """);
            }

            script.Append(PathSafety.Judged(i, Sh.Quote(r.Path), r.Follow, asControllingUser: false, facts.ToString()));
        }

        return script.ToString();
    }

    protected override IReadOnlyList<ConfigLineObserved> ParseFacts(IReadOnlyList<ConfigLineResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        // Values may hold tabs: the third field is the rest of the line.
        var parsed = ByIndex(lines, resources.Count).SelectMany(g => g.Select(f => (g.Key, Fields: f.Length <= 3 ? f : [f[0], f[1], string.Join('\t', f[2..])])))
            .ToLookup(x => x.Key, x => x.Fields);
        return resources.Select((_, i) =>
        {
            string? Last(string tag) => parsed[i].LastOrDefault(f => f[0] == tag && f.Length == 3)?[2];
            return new ConfigLineObserved(
                parsed[i].Any(f => f[0] == "F"),
                parsed[i].Where(f => f[0] == "V" && f.Length == 3).Select(f => f[2]).ToList(),
                Last("W"),
                Last("L"),
                Last("X"))
            {
                Refused = Last("B"),
            };
        }).ToList();
    }

    protected override ResourceChange Diff(ConfigLineResource desired, ConfigLineObserved observed)
    {
        if (observed.Refused is { } refused)
        {
            return ResourceChange.Blocked(desired, refused);
        }

        if (observed.LinkTarget is { } target)
        {
            return ResourceChange.Blocked(desired, $"{desired.Path} is a symbolic link to {target}; links are not followed unless the spec says follow: true");
        }

        if (!observed.FileExists)
        {
            return ResourceChange.Blocked(desired, $"{desired.Path} does not exist; a config line edits a file the system owns and never creates it");
        }

        if (observed.Unreadable is { } unreadable)
        {
            return ResourceChange.Blocked(desired, $"{desired.Path} cannot be read: {unreadable}");
        }

        // A withheld file's values came back as digests: compare the declared value's digest.
        var want = observed.Withheld is null ? desired.Value : Sha256Text.Hex(desired.Value);
        if (observed.Values.Count == 1 && observed.Values[0] == want)
        {
            return ResourceChange.NoOp(desired);
        }

        PlanValue before = observed.Values.Count == 0 ? new PlanValue.Absent()
            : observed.Withheld is { } why ? new PlanValue.Withheld(why, $"set {observed.Values.Count} time(s)")
            : new PlanValue.Text(string.Join(", ", observed.Values));
        var note = observed.Values.Count > 1 ? $"set {observed.Values.Count} times; later duplicates are removed" : null;
        return new ResourceChange(
            desired.Address,
            observed.Values.Count == 0 ? ChangeAction.Create : ChangeAction.Update,
            [new AttributeChange(ConfigLineAttributeNames.Key(desired.Key), before, PlanValue.Of(desired.Value))],
            desired.Source,
            note);
    }

    protected override string ApplyScript(ConfigLineResource desired, ConfigLineObserved observed, ResourceChange change)
    {
        // The first setting line keeps its indentation and separator and gets the new value; later ones go;
        // with none, the line is appended. Everything else in the file is copied byte for byte.
        const string rewrite = """
            { v = rc_value($0)
              if (v == "\001") { print; next }
              if (done) next
              done = 1
              if (SEP == "=") { i = index($0, "="); print substr($0, 1, i) (substr($0, i + 1) ~ /^ / ? " " : "") VALUE; next }
              match($0, /^[ \t]*/); lead = substr($0, 1, RLENGTH); rest = substr($0, RLENGTH + length(KEY) + 1)
              match(rest, /^[ \t]*/); sep = RLENGTH ? substr(rest, 1, RLENGTH) : " "; print lead KEY sep VALUE }
            END { if (!done) print KEY (SEP == "=" ? "=" : " ") VALUE }
            """;
        // With follow: true the edit goes to the link's target (Debian's 99-sysctl.conf, resolv.conf): replacing the
        // link would detach it from the file everyone else reads. Otherwise a link found now was planted since the plan
        // and is refused. The path is judged again (PathSafety: root writes only where root alone controls the path); the
        // file is read through the descriptor rc_open checked, the new text written through rc_tmpfile's.
        return PathSafety.OneChangeMemo(desired.Path) + PathSafety.Rejudge(desired.Path, desired.Follow, null) + $"""
            rc_open 8 "$p"
            rc_tmpfile "$p"
            RC_KEY={Sh.Quote(desired.Key)} RC_SEP={Sh.Quote(desired.Separator)} RC_VALUE={Sh.Quote(desired.Value)} awk {Sh.Quote(AwkMatch + rewrite)} < /proc/self/fd/8 > /proc/self/fd/9 || {"{"} rm -f -- "$rc_tmp"; exit 1; {"}"}
            rc_commit "$rc_tmp" "$p" || {"{"} rm -f -- "$rc_tmp"; exit 1; {"}"}
            """;
    }
}
