using System.Text;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// The apply side of postfix_main and postfix_master: every change to main.cf and master.cf goes to a staged copy of
/// the config directory, the copy is validated as a whole, and only then are both files renamed into place and postfix
/// reloaded (once) and probed (once). A failure at any step leaves (or puts back) the previous main.cf and master.cf
/// byte for byte, and the outcome names the step with postfix's own message.
/// </summary>
internal static class PostfixTransaction
{
    // postfix(1) prints its reasons on stderr only when stderr is a terminal (otherwise to syslog alone), so its
    // commands run under script(1) (util-linux, essential on Debian) when it exists, to hand back postfix's own words.
    private const string Helpers = """
        rc_pf_run() {
          if command -v script >/dev/null 2>&1; then rc_pf_msg=$(script -qec "$1" /dev/null 2>&1); else rc_pf_msg=$(sh -c "$1" 2>&1); fi
          rc_pf_rc=$?
          rc_pf_msg=$(printf '%s' "$rc_pf_msg" | tr -d '\r' | tr '\n' ' ')
          return "$rc_pf_rc"
        }
        rc_pf_fail() { printf 'postfix transaction: %s failed: %s\n' "$1" "$2"; exit 1; }
        # The probe reads the SMTP banner on 127.0.0.1:25. POSIX sh has no sockets, so it uses perl (perl-base is
        # essential on Debian); without perl only "postfix status" is checked.
        rc_pf_probe() {
          if command -v perl >/dev/null 2>&1; then
            rc_pf_msg=$(perl -MIO::Socket::INET -e '
              my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => 25, Timeout => 5)
                or die "cannot connect to 127.0.0.1:25: $@\n";
              $SIG{ALRM} = sub { die "no SMTP banner from 127.0.0.1:25 within 5 s (smtpd exits on start)\n" }; alarm 5;
              my $l = <$s>; defined $l or die "127.0.0.1:25 closed the connection without a banner\n";
              $l =~ /^220[ -]/ or die "unexpected SMTP banner: $l"; print $s "QUIT\r\n"; print $l;' 2>&1)
          else
            rc_pf_msg=$(postfix status 2>&1)
          fi
        }
        """;

    public static string Script(IReadOnlyList<PostfixResource> changes)
    {
        var main = changes.OfType<PostfixMainResource>().ToList();
        var services = changes.OfType<PostfixMasterResource>().ToList();
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

            # 2. Validate the copy as a whole: postconf's warnings that the live config does not already have
            #    (unused parameters, bad syntax), then postfix check (bad numbers, missing files, permissions).
            postconf -n 2>&1 >/dev/null | sed "s|$rc_pf_conf/|CONF/|" > "$rc_pf_stage/live.warnings" || true
            rc_pf_msg=$(postconf -c "$rc_pf_stage" -n 2>&1 >/dev/null) || rc_pf_fail "validation (postconf -n)" "$rc_pf_msg"
            rc_pf_new=$(printf '%s\n' "$rc_pf_msg" | sed "s|$rc_pf_stage/|CONF/|" | grep -v '^$' | grep -vxF -f "$rc_pf_stage/live.warnings" || true)
            [ -z "$rc_pf_new" ] || rc_pf_fail "validation (postconf -n)" "$(printf '%s' "$rc_pf_new" | tr '\n' ' ')"
            rc_pf_msg=$(postconf -c "$rc_pf_stage" -M 2>&1 >/dev/null) || rc_pf_fail "validation (postconf -M)" "$rc_pf_msg"
            [ -z "$rc_pf_msg" ] || rc_pf_fail "validation (postconf -M)" "$(printf '%s' "$rc_pf_msg" | tr '\n' ' ')"
            rc_pf_run "postfix -c '$rc_pf_stage' check" || rc_pf_fail "validation (postfix check)" "$rc_pf_msg"
            rc_pf_daemons=$(postconf -c "$rc_pf_stage" -h daemon_directory)
            for rc_pf_cmd in {{commands}}; do
              rc_pf_svc=${rc_pf_cmd%%=*}; rc_pf_cmd=${rc_pf_cmd#*=}
              case $rc_pf_cmd in /*) rc_pf_path=$rc_pf_cmd ;; *) rc_pf_path=$rc_pf_daemons/$rc_pf_cmd ;; esac
              [ -f "$rc_pf_path" ] && [ -x "$rc_pf_path" ] || rc_pf_fail "validation (master.cf)" "$rc_pf_svc: command $rc_pf_cmd: no executable $rc_pf_path"
            done

            # 3. Swap: one rename per file, so postfix never reads a half-written one.
            rc_pf_running=; postfix status >/dev/null 2>&1 && rc_pf_running=1
            rc_commit "$rc_pf_stage/main.cf" "$rc_pf_conf/main.cf"
            rc_commit "$rc_pf_stage/master.cf" "$rc_pf_conf/master.cf"
            [ -n "$rc_pf_running" ] || { echo "postfix is not running: main.cf and master.cf changed, nothing reloaded"; exit 0; }

            # 4. Reload and probe; on failure put the previous main.cf and master.cf back.
            rc_pf_restore() {
              rc_commit "$rc_pf_stage/main.cf.before" "$rc_pf_conf/main.cf"
              rc_commit "$rc_pf_stage/master.cf.before" "$rc_pf_conf/master.cf"
            }
            if ! rc_pf_run "postfix reload"; then
              rc_pf_why=$rc_pf_msg
              rc_pf_restore
              rc_pf_run "postfix reload" || true
              rc_pf_fail "reload (previous main.cf and master.cf restored)" "$rc_pf_why"
            fi
            sleep 2
            if ! rc_pf_probe; then
              rc_pf_why=$rc_pf_msg
              rc_pf_restore
              # A reload keeps a crashing smtpd throttled for daemon_throttle_time (60 s); a restart serves at once.
              rc_pf_run "postfix stop" || true
              rc_pf_run "postfix start" || true
              rc_pf_fail "SMTP probe (previous main.cf and master.cf restored, postfix restarted)" "$rc_pf_why"
            fi
            """);
        return script.ToString();
    }

    /// <summary>A setting carried by another's transaction succeeds only if that transaction left it in place.</summary>
    public static string Confirm(PostfixResource desired, string carriedBy)
    {
        var (live, want) = desired switch
        {
            PostfixMasterResource s => ($"postconf -M {Sh.Quote(s.Key)} 2>/dev/null", s.Entry),
            PostfixMainResource p => ($"postconf -h {Sh.Quote(p.Parameter)}", PostfixMainResource.Normalize(p.Value)),
            _ => throw new ArgumentOutOfRangeException(nameof(desired)),
        };
        return $"""
            {PostfixProvider.PathSetup}
            rc_pf_live=$({live} | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
            [ "$rc_pf_live" = {Sh.Quote(want)} ] || {"{"} echo "not applied: the transaction in {carriedBy} did not complete"; exit 1; {"}"}
            """;
    }
}
