using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// The apply side of postfix_main, postfix_master and postfix_map: every change to main.cf, master.cf and the map
/// files goes to a staged copy of the config directory, the copy is validated as a whole (each staged map answering
/// <c>postmap -q</c> from the real database), and only then are the files renamed into place and postfix reloaded
/// (once) and probed (once). A failure at any step leaves (or puts back) the previous files byte for byte — a map the
/// transaction created is removed — and the outcome names the step with postfix's own message.
/// </summary>
internal static class PostfixTransaction
{
    /// <summary>The transaction's functions (rc_pf_run, rc_pf_map, rc_pf_point, rc_pf_lookup, rc_pf_probe, ...).</summary>
    private static string Helpers => ShellFiles.Load("postfix-transaction.sh");

    public static string Script(IReadOnlyList<PostfixResource> changes)
    {
        var main = changes.OfType<PostfixMainResource>().ToList();
        var services = changes.OfType<PostfixMasterResource>().ToList();
        var maps = changes.OfType<PostfixMapResource>().ToList();
        var files = maps.Count == 0 ? "main.cf and master.cf" : "main.cf, master.cf and map files";
        var stageMain = main.Count == 0 ? ": no main.cf change"
            : "rc_pf_msg=$(postconf -c \"$rc_pf_stage\" -e " + string.Join(' ', main.Select(c => Sh.Quote($"{c.Parameter} = {PostfixMainResource.Normalize(c.Value)}")))
              + " 2>&1) || rc_pf_fail \"staging (postconf -e)\" \"$rc_pf_msg\"";
        var stageMaster = services.Count == 0 ? ": no master.cf change"
            : "rc_pf_msg=$(postconf -c \"$rc_pf_stage\" -M -e " + string.Join(' ', services.Select(s => Sh.Quote($"{s.Key} = {s.Entry}")))
              + " 2>&1) || rc_pf_fail \"staging (postconf -M -e)\" \"$rc_pf_msg\"";
        // postfix check does not look at master.cf commands; master(8) would only fail when it spawns one.
        var commands = string.Join(' ', services.Select(s => Sh.Quote($"{s.Key}={s.Command}")));
        var script = new StringBuilder(PostfixProvider.PathSetup).AppendLine().AppendLine(Helpers);
        script.AppendLine($$"""
            rc_pf_conf=$(postconf -h config_directory)
            rc_pf_stage=$(mktemp -d "$(dirname -- "$rc_pf_conf")/.reconciler-postfix.XXXXXX")
            trap 'rm -rf -- "$rc_pf_stage"; rc_relock' EXIT
            cp -p -- "$rc_pf_conf/main.cf" "$rc_pf_conf/master.cf" "$rc_pf_stage/"
            cp -p -- "$rc_pf_conf/main.cf" "$rc_pf_stage/main.cf.before"
            cp -p -- "$rc_pf_conf/master.cf" "$rc_pf_stage/master.cf.before"

            # 1. Stage: every change, in the copy only.
            {{stageMain}}
            {{stageMaster}}
            {{StageMaps(maps)}}

            # 2. Validate the copy as a whole: postconf's warnings that the live config does not already have
            #    (unused parameters, bad syntax, a table file that is missing or has unknown settings), then postfix check
            #    (bad numbers, missing files, permissions). postconf reads the table files main.cf names, so it looks at a
            #    view of the stage in which main.cf names the staged maps and $config_directory holds every other table.
            rc_pf_check=$rc_pf_stage/check
            mkdir -- "$rc_pf_check"
            for rc_pf_f in "$rc_pf_conf"/*.cf; do
              if [ -e "$rc_pf_f" ]; then ln -s -- "$rc_pf_f" "$rc_pf_check/"; fi
            done
            rm -f -- "$rc_pf_check/main.cf" "$rc_pf_check/master.cf"
            cp -p -- "$rc_pf_stage/main.cf" "$rc_pf_stage/master.cf" "$rc_pf_check/"
            {{CheckMaps(maps)}}
            { postconf -n; postconf -M; } 2>&1 >/dev/null | sed "s|$rc_pf_conf/|CONF/|g" > "$rc_pf_stage/live.warnings" || true
            rc_pf_msg=$(postconf -c "$rc_pf_check" -n 2>&1 >/dev/null) || rc_pf_fail "validation (postconf -n)" "$rc_pf_msg"
            rc_pf_new=$(rc_pf_new_warnings "$rc_pf_msg")
            [ -z "$rc_pf_new" ] || rc_pf_fail "validation (postconf -n)" "$rc_pf_new"
            rc_pf_msg=$(postconf -c "$rc_pf_check" -M 2>&1 >/dev/null) || rc_pf_fail "validation (postconf -M)" "$rc_pf_msg"
            rc_pf_new=$(rc_pf_new_warnings "$rc_pf_msg")
            [ -z "$rc_pf_new" ] || rc_pf_fail "validation (postconf -M)" "$rc_pf_new"
            rc_pf_run "postfix -c '$rc_pf_stage' check" || rc_pf_fail "validation (postfix check)" "$rc_pf_msg"
            rc_pf_daemons=$(postconf -c "$rc_pf_check" -h daemon_directory 2>/dev/null)
            for rc_pf_cmd in {{commands}}; do
              rc_pf_svc=${rc_pf_cmd%%=*}; rc_pf_cmd=${rc_pf_cmd#*=}
              case $rc_pf_cmd in /*) rc_pf_path=$rc_pf_cmd ;; *) rc_pf_path=$rc_pf_daemons/$rc_pf_cmd ;; esac
              [ -f "$rc_pf_path" ] && [ -x "$rc_pf_path" ] || rc_pf_fail "validation (master.cf)" "$rc_pf_svc: command $rc_pf_cmd: no executable $rc_pf_path"
            done
            {{LookUpMaps(maps)}}

            # 3. Swap: one rename per file, so postfix never reads a half-written one. Maps first: a daemon that starts
            #    after main.cf is in place must find every table it names. A rename that fails puts everything back.
            rc_pf_restore() {
              rc_commit "$rc_pf_stage/main.cf.before" "$rc_pf_conf/main.cf"
              rc_commit "$rc_pf_stage/master.cf.before" "$rc_pf_conf/master.cf"
              {{RestoreMaps(maps)}}
            }
            rc_pf_swap() {
              {{CommitMaps(maps)}}
              rc_commit "$rc_pf_stage/main.cf" "$rc_pf_conf/main.cf" || return 1
              rc_commit "$rc_pf_stage/master.cf" "$rc_pf_conf/master.cf" || return 1
            }
            rc_pf_running=; postfix status >/dev/null 2>&1 && rc_pf_running=1
            if ! rc_pf_swap; then
              rc_pf_restore || true
              rc_pf_fail "swap (previous {{files}} restored)" "a rename into $rc_pf_conf failed"
            fi
            [ -n "$rc_pf_running" ] || { echo "postfix is not running: {{files}} changed, nothing reloaded"; exit 0; }

            # 4. Reload and probe; on failure put the previous files back (main.cf first, so nothing names a map that goes).
            if ! rc_pf_run "postfix reload"; then
              rc_pf_why=$rc_pf_msg
              rc_pf_restore
              rc_pf_run "postfix reload" || true
              rc_pf_fail "reload (previous {{files}} restored)" "$rc_pf_why"
            fi
            sleep 2
            if ! rc_pf_probe; then
              rc_pf_why=$rc_pf_msg
              rc_pf_restore
              # A reload keeps a crashing smtpd throttled for daemon_throttle_time (60 s); a restart serves at once.
              rc_pf_run "postfix stop" || true
              rc_pf_run "postfix start" || true
              rc_pf_fail "SMTP probe (previous {{files}} restored, postfix restarted)" "$rc_pf_why"
            fi
            """);
        return script.ToString();
    }

    private static string StageMaps(IReadOnlyList<PostfixMapResource> maps)
    {
        if (maps.Count == 0)
        {
            return ": no map file change";
        }

        // The check view names staged maps by rewriting main.cf with sed; keep the paths it works on plain.
        var script = new StringBuilder("""
            case $rc_pf_conf$rc_pf_stage in *[!A-Za-z0-9_./-]*) rc_pf_fail "staging (map files)" "config_directory $rc_pf_conf: only letters, digits and _ . / - are supported with postfix_map" ;; esac
            rc_pf_group=$(id -gn "$(postconf -h mail_owner)")
            """).AppendLine();
        foreach (var map in maps)
        {
            // The content holds the password: it goes to the host inside the script and is never echoed.
            script.AppendLine($"rc_pf_map {Sh.Quote(map.Name)} {Sh.Quote(Sh.Base64(map.Render()))} || rc_pf_fail \"staging (map files)\" {Sh.Quote($"cannot write {map.Name}")}");
        }

        return script.ToString();
    }

    /// <summary>Each staged map replaces its live copy in the check view, and main.cf there names it where it names the live path.</summary>
    private static string CheckMaps(IReadOnlyList<PostfixMapResource> maps)
    {
        var script = new StringBuilder();
        foreach (var map in maps)
        {
            var name = Sh.Quote(map.Name);
            script.AppendLine($"rm -f -- \"$rc_pf_check\"/{name}; cp -p -- \"$rc_pf_stage\"/{name} \"$rc_pf_check\"/");
            script.AppendLine($"rc_pf_point {name}");
        }

        return script.ToString();
    }

    /// <summary>
    /// Every staged map answers from the real database: a declared probe must be found (and print what it expects);
    /// without one, a key that cannot exist must be looked up cleanly. A missing table, a wrong column, a bad password or
    /// an unreachable server all make postmap print a warning or a fatal error, which is the step's message.
    /// </summary>
    private static string LookUpMaps(IReadOnlyList<PostfixMapResource> maps)
    {
        var script = new StringBuilder();
        const string Step = "\"validation (postmap)\"";
        foreach (var map in maps)
        {
            var key = map.Probe?.Key ?? PostfixMapResource.AbsentKey;
            var what = $"{map.Name} (staged): postmap -q {key}";
            script.AppendLine($"rc_pf_lookup {Sh.Quote(map.Name)} {Sh.Quote(key)} {Sh.Quote(map.Type)}");
            script.AppendLine($"[ -z \"$rc_pf_err\" ] || rc_pf_fail {Step} {Sh.Quote(what + ": ")}\"$rc_pf_err\"");
            if (map.Probe is null)
            {
                script.AppendLine($"[ \"$rc_pf_rc\" -le 1 ] || rc_pf_fail {Step} {Sh.Quote(what + ": exit status ")}\"$rc_pf_rc\"");
                continue;
            }

            script.AppendLine($"[ \"$rc_pf_rc\" -eq 0 ] || rc_pf_fail {Step} {Sh.Quote(what + ": not found (exit status ")}\"$rc_pf_rc)\"");
            if (map.Probe.Expect is { } expect)
            {
                script.AppendLine($"[ \"$rc_pf_out\" = {Sh.Quote(expect)} ] || rc_pf_fail {Step} {Sh.Quote(what + ": answered \"")}\"$rc_pf_out\"{Sh.Quote($"\", expected \"{expect}\"")}");
            }
        }

        return script.ToString();
    }

    private static string CommitMaps(IReadOnlyList<PostfixMapResource> maps) =>
        maps.Count == 0 ? ":" : string.Join("\n  ", maps.Select(m => $"mv -f -- \"$rc_pf_stage\"/{Sh.Quote(m.Name)} \"$rc_pf_conf\"/{Sh.Quote(m.Name)} || return 1"));

    /// <summary>A map that existed comes back as it was (owner and mode too); one the transaction created goes.</summary>
    private static string RestoreMaps(IReadOnlyList<PostfixMapResource> maps) =>
        maps.Count == 0 ? ":" : string.Join("\n  ", maps.Select(m =>
        {
            var name = Sh.Quote(m.Name);
            return $"if [ -e \"$rc_pf_stage\"/{name}.before ]; then mv -f -- \"$rc_pf_stage\"/{name}.before \"$rc_pf_conf\"/{name}; else rm -f -- \"$rc_pf_conf\"/{name}; fi";
        }));

    /// <summary>A setting carried by another's transaction succeeds only if that transaction left it in place.</summary>
    public static string Confirm(PostfixResource desired, string carriedBy)
    {
        var failed = $"{{ printf '%s\\n' {Sh.Quote($"not applied: the transaction in {carriedBy} did not complete")}; exit 1; }}";
        if (desired is PostfixMapResource m)
        {
            // A map: its content by digest, its mode and its owner as the transaction writes them, its group mail_owner's.
            // A failed lookup leaves a path or group that does not match (set -e must not end the check unexplained).
            return $"""
                {PostfixProvider.PathSetup}
                rc_pf_f="$(postconf -h config_directory)"/{Sh.Quote(m.Name)} || :
                rc_pf_group=$(id -gn "$(postconf -h mail_owner)") || :
                {FileFacts.Holds("\"$rc_pf_f\"", Sha256Text.Hex(m.Render()), $"{Sh.Quote($"{PostfixMapResource.Mode}:{PostfixMapResource.Owner}:")}\"$rc_pf_group\"")} || {failed}
                """;
        }

        var (live, want) = desired switch
        {
            PostfixMasterResource s => ($"postconf -M {Sh.Quote(s.Key)} 2>/dev/null", s.Entry),
            PostfixMainResource p => ($"postconf -h {Sh.Quote(p.Parameter)}", PostfixMainResource.Normalize(p.Value)),
            _ => throw new ArgumentOutOfRangeException(nameof(desired)),
        };
        return $"""
            {PostfixProvider.PathSetup}
            rc_pf_live=$({live} | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
            [ "$rc_pf_live" = {Sh.Quote(want)} ] || {failed}
            """;
    }
}
