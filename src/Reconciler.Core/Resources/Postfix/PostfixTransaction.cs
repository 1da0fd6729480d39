using System.Text;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// The apply side of postfix_main: every change goes to a staged copy of the config directory, the copy is validated as
/// a whole, and only then is main.cf renamed into place and postfix reloaded and probed. A failure at any step leaves
/// (or puts back) the previous main.cf byte for byte, and the outcome names the step with postfix's own message.
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
        rc_pf_fail() { printf 'postfix_main transaction: %s failed: %s\n' "$1" "$2"; exit 1; }
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

    public static string Script(IReadOnlyList<PostfixMainResource> changes)
    {
        var settings = string.Join(' ', changes.Select(c => Sh.Quote($"{c.Parameter} = {PostfixMainResource.Normalize(c.Value)}")));
        var script = new StringBuilder(PostfixMainProvider.PathSetup).AppendLine().AppendLine(Helpers);
        script.AppendLine($$"""
            rc_pf_conf=$(postconf -h config_directory)
            rc_pf_stage=$(mktemp -d "$(dirname -- "$rc_pf_conf")/.reconciler-postfix.XXXXXX")
            trap 'rm -rf -- "$rc_pf_stage"; rc_relock' EXIT
            cp -p -- "$rc_pf_conf/main.cf" "$rc_pf_conf/master.cf" "$rc_pf_stage/"
            cp -p -- "$rc_pf_conf/main.cf" "$rc_pf_stage/main.cf.before"

            # 1. Stage: every change, in the copy only.
            rc_pf_msg=$(postconf -c "$rc_pf_stage" -e {{settings}} 2>&1) || rc_pf_fail "staging (postconf -e)" "$rc_pf_msg"

            # 2. Validate the copy as a whole: postconf's warnings that the live config does not already have
            #    (unused parameters, bad syntax), then postfix check (bad numbers, missing files, permissions).
            postconf -n 2>&1 >/dev/null | sed "s|$rc_pf_conf/|CONF/|" > "$rc_pf_stage/live.warnings" || true
            rc_pf_msg=$(postconf -c "$rc_pf_stage" -n 2>&1 >/dev/null) || rc_pf_fail "validation (postconf -n)" "$rc_pf_msg"
            rc_pf_new=$(printf '%s\n' "$rc_pf_msg" | sed "s|$rc_pf_stage/|CONF/|" | grep -v '^$' | grep -vxF -f "$rc_pf_stage/live.warnings" || true)
            [ -z "$rc_pf_new" ] || rc_pf_fail "validation (postconf -n)" "$(printf '%s' "$rc_pf_new" | tr '\n' ' ')"
            rc_pf_run "postfix -c '$rc_pf_stage' check" || rc_pf_fail "validation (postfix check)" "$rc_pf_msg"

            # 3. Swap: one rename, so postfix never reads a half-written main.cf.
            rc_pf_running=; postfix status >/dev/null 2>&1 && rc_pf_running=1
            rc_commit "$rc_pf_stage/main.cf" "$rc_pf_conf/main.cf"
            [ -n "$rc_pf_running" ] || { echo "postfix is not running: main.cf changed, nothing reloaded"; exit 0; }

            # 4. Reload and probe; on failure put the previous main.cf back.
            if ! rc_pf_run "postfix reload"; then
              rc_pf_why=$rc_pf_msg
              rc_commit "$rc_pf_stage/main.cf.before" "$rc_pf_conf/main.cf"
              rc_pf_run "postfix reload" || true
              rc_pf_fail "reload (previous main.cf restored)" "$rc_pf_why"
            fi
            sleep 2
            if ! rc_pf_probe; then
              rc_pf_why=$rc_pf_msg
              rc_commit "$rc_pf_stage/main.cf.before" "$rc_pf_conf/main.cf"
              # A reload keeps a crashing smtpd throttled for daemon_throttle_time (60 s); a restart serves at once.
              rc_pf_run "postfix stop" || true
              rc_pf_run "postfix start" || true
              rc_pf_fail "SMTP probe (previous main.cf restored, postfix restarted)" "$rc_pf_why"
            fi
            """);
        return script.ToString();
    }

    /// <summary>A parameter carried by another's transaction succeeds only if that transaction left its value in place.</summary>
    public static string Confirm(PostfixMainResource desired, string carriedBy)
    {
        var want = PostfixMainResource.Normalize(desired.Value);
        return $"""
            {PostfixMainProvider.PathSetup}
            rc_pf_live=$(postconf -h {Sh.Quote(desired.Parameter)} | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
            [ "$rc_pf_live" = {Sh.Quote(want)} ] || {"{"} echo "not applied: the transaction in {carriedBy} did not complete"; exit 1; {"}"}
            """;
    }
}
