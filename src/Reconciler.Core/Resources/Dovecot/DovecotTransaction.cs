using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// The apply side of dovecot_file: every changed file is written into a staged copy of the whole configuration
/// directory, the copy is checked as a whole with doveconf, and only then is each file renamed into place and dovecot
/// reloaded — or restarted when protocols, listen or service listeners change, which a reload cannot take — once, and
/// probed once (IMAP banner, each declared login, postfix's auth sockets). A failure at any step leaves (or puts back)
/// the previous files byte for byte and names the step with the tool's own message.
/// </summary>
internal static class DovecotTransaction
{
    /// <summary>Heredoc delimiters: base64 and hex lines can never equal them ('_' is in neither alphabet).</summary>
    internal const string ContentEnd = "RC_DC_EOF";
    internal const string ProbesEnd = "RC_DC_PROBES";

    // POSIX sh has no sockets, so the probe is perl (perl-base is essential on Debian). It reads the logins as hex
    // "USER PASSWORD" lines from stdin — a heredoc in the script, never a command line — and needs no module outside
    // perl-base. Dovecot treats 127.0.0.1 as secure, so a plaintext LOGIN is allowed there.
    private const string ProbeProgram = """
        use IO::Socket::INET;
        my @probes = map { chomp; [ map { pack("H*", $_) } split(/ /, $_, 2) ] } grep { /\S/ } <STDIN>;
        @probes = ([]) unless @probes;
        for my $probe (@probes) {
          my ($user, $password) = @$probe;
          my $s;
          for my $try (1 .. 10) {
            $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => 143, Timeout => 5) and last;
            select(undef, undef, undef, 0.5);
          }
          $s or die "cannot connect to 127.0.0.1:143: $@\n";
          local $SIG{ALRM} = sub { die "no IMAP answer from 127.0.0.1:143 within 20 s\n" };
          alarm 20;
          my $line = <$s>;
          defined $line or die "127.0.0.1:143 closed the connection without a banner\n";
          $line =~ s/\r?\n\z//;
          $line =~ /^\* OK/ or die "unexpected IMAP banner from 127.0.0.1:143: $line\n";
          if (defined $user) {
            my $quote = sub { my $v = shift; $v = "" unless defined $v; $v =~ s/([\\"])/\\$1/g; return qq("$v") };
            print $s "a LOGIN ", $quote->($user), " ", $quote->($password), "\r\n";
            while (defined($line = <$s>)) { last if $line =~ /^a / }
            defined $line or die "LOGIN as $user: 127.0.0.1:143 closed the connection\n";
            $line =~ s/\r?\n\z//;
            $line =~ /^a OK/ or die "LOGIN as $user: $line\n";
            print $s "b LOGOUT\r\n";
          }
          alarm 0;
          close $s;
        }
        """;

    private const string Helpers = """
        rc_dc_conf=/etc/dovecot
        rc_dc_fail() { printf 'dovecot transaction: %s failed: %s\n' "$1" "$2"; exit 1; }
        rc_dc_oneline() { printf '%s' "$1" | tr '\n' ' ' | sed 's/  */ /g; s/ $//'; }
        # doveconf names the staged copy; the message names the live directory instead.
        rc_dc_unstage() { rc_dc_oneline "$(printf '%s' "$1" | sed "s|$rc_dc_stage/conf|$rc_dc_conf|g")"; }
        # rc_dc_stage_file REL OWNER:GROUP MODE < BASE64: the file written whole into the copy (a link or an old file
        # there is replaced, never written through), its previous version kept in before/ for the rollback.
        rc_dc_stage_file() {
          rc_dc_f=$rc_dc_stage/conf/$1
          if [ -e "$rc_dc_f" ] || [ -L "$rc_dc_f" ]; then
            mkdir -p -- "$(dirname -- "$rc_dc_stage/before/$1")"
            rc_dc_msg=$(cp -a -- "$rc_dc_f" "$rc_dc_stage/before/$1" 2>&1 && rm -f -- "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1)" "$rc_dc_msg"
          fi
          rc_dc_msg=$(base64 -d 2>&1 > "$rc_dc_f") || rc_dc_fail "staging ($1)" "$(rc_dc_unstage "$rc_dc_msg")"
          rc_dc_msg=$(chown -- "$2" "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1: chown $2)" "$(rc_dc_unstage "$rc_dc_msg")"
          rc_dc_msg=$(chmod -- "$3" "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1: chmod $3)" "$(rc_dc_unstage "$rc_dc_msg")"
        }
        # rc_dc_put_back REL: the previous file renamed back, or a file the transaction created removed.
        rc_dc_put_back() {
          if [ -e "$rc_dc_stage/before/$1" ] || [ -L "$rc_dc_stage/before/$1" ]; then
            mv -f -- "$rc_dc_stage/before/$1" "$rc_dc_conf/$1"
          else
            rm -f -- "$rc_dc_conf/$1"
          fi
        }
        # What a reload cannot take: the effective protocols, listen and every service block (its listeners).
        rc_dc_listeners() { doveconf -c "$1" protocols listen service 2>&1 | grep -v '^#' | cksum; }
        rc_dc_alive() {
          rc_dc_base=$(doveconf -h base_dir 2>/dev/null) || rc_dc_base=/run/dovecot
          rc_dc_pid=$(cat -- "$rc_dc_base/master.pid" 2>/dev/null) || return 1
          [ -n "$rc_dc_pid" ] && kill -0 "$rc_dc_pid" 2>/dev/null
        }
        # rc_dc_control ACTION: through systemd or the init script; on a host with neither, dovecot's own commands.
        rc_dc_control() {
          rc_service "$1" dovecot && return 0
          rc_dc_rc=$?
          [ "$rc_dc_rc" -eq 127 ] || return "$rc_dc_rc"
          case $1 in
            reload) rc_capture doveadm reload ;;
            start) rc_capture dovecot ;;
            restart) rc_capture doveadm stop; sleep 1; rc_capture dovecot ;;
            *) rc_capture doveadm "$1" ;;
          esac
        }
        # The last few errors dovecot logged since the transaction began (doveadm log errors), timestamps dropped.
        rc_dc_new_errors() {
          doveadm log errors 2>/dev/null \
            | RC_DC_LAST=$rc_dc_last awk '{ l[n++] = $0 } $0 == ENVIRON["RC_DC_LAST"] { n = 0 } END { for (i = (n > 3 ? n - 3 : 0); i < n; i++) print l[i] }' \
            | sed 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* //' | tr '\n' ' ' | sed 's/ $//'
        }
        # rc_dc_rollback STEP MESSAGE: the previous files back, dovecot reloaded or restarted on them (started if it died).
        rc_dc_rollback() {
          rc_dc_why=$(rc_dc_oneline "$2")
          rc_dc_errors=$(rc_dc_new_errors) || rc_dc_errors=
          rc_dc_restore
          rc_dc_recovery="dovecot ${rc_dc_action}ed"
          rc_dc_control "$rc_dc_action" >/dev/null 2>&1 || true
          sleep 1
          if ! rc_dc_alive; then
            if rc_dc_msg=$(rc_dc_control start); then rc_dc_recovery="dovecot started"; else rc_dc_recovery="dovecot could not be started: $(rc_dc_oneline "$rc_dc_msg")"; fi
          fi
          rc_dc_fail "$1 (previous files restored, $rc_dc_recovery)" "$rc_dc_why${rc_dc_errors:+ | dovecot's log: $rc_dc_errors}"
        }
        """;

    public static string Script(IReadOnlyList<DovecotFileResource> changes, IReadOnlyList<DovecotProbeResource> probes, bool restart)
    {
        var script = new StringBuilder(DovecotProvider.PathSetup).AppendLine()
            .AppendLine(ServiceControl.Source)
            .AppendLine(Helpers);

        script.AppendLine("rc_dc_restore() {");
        foreach (var file in changes)
        {
            script.AppendLine($"  rc_dc_put_back {Sh.Quote(file.RelativePath)}");
        }

        script.AppendLine("}");
        script.Append(ProbeFunction(probes));
        script.AppendLine($"rc_dc_action={(restart ? "restart" : "reload")}");
        script.AppendLine("""
            rc_dc_stage=$(mktemp -d /etc/.reconciler-dovecot.XXXXXX)
            trap 'rm -rf -- "$rc_dc_stage"; rc_relock' EXIT
            rc_dc_msg=$(cp -a -- "$rc_dc_conf" "$rc_dc_stage/conf" 2>&1 && mkdir -- "$rc_dc_stage/before" 2>&1) || rc_dc_fail "staging (copy of $rc_dc_conf)" "$rc_dc_msg"

            # 1. Stage: every changed file, whole, in the copy only.
            """);
        foreach (var file in changes)
        {
            script.AppendLine($"rc_dc_stage_file {Sh.Quote(file.RelativePath)} {Sh.Quote($"{file.Owner}:{file.Group}")} {file.NormalizedMode} <<'{ContentEnd}'");
            script.AppendLine(Wrap(Sh.Base64(file.Content ?? "")));
            script.AppendLine(ContentEnd);
        }

        script.AppendLine($$"""

            # 2. Validate the copy as a whole; relative !include paths resolve inside it.
            rc_dc_msg=$(doveconf -n -c "$rc_dc_stage/conf/dovecot.conf" 2>&1 >/dev/null) || rc_dc_fail "validation (doveconf)" "$(rc_dc_unstage "$rc_dc_msg")"
            if [ "$rc_dc_action" = reload ] && [ "$(rc_dc_listeners "$rc_dc_conf/dovecot.conf")" != "$(rc_dc_listeners "$rc_dc_stage/conf/dovecot.conf")" ]; then
              rc_dc_action=restart
            fi

            # 3. Swap: one rename per file, so dovecot never reads a half-written one.
            rc_dc_running=; rc_dc_alive && rc_dc_running=1
            """);
        foreach (var file in changes)
        {
            var rel = Sh.Quote(file.RelativePath);
            script.AppendLine($"rc_dc_msg=$(mv -f -- \"$rc_dc_stage/conf/\"{rel} \"$rc_dc_conf/\"{rel} 2>&1) || {{ rc_dc_restore; rc_dc_fail {Sh.Quote($"swap ({file.RelativePath}; previous files restored)")} \"$rc_dc_msg\"; }}");
        }

        script.AppendLine($$"""
            [ -n "$rc_dc_running" ] || { echo "dovecot is not running: {{changes.Count}} file(s) changed, nothing reloaded"; exit 0; }

            # 4. Reload (or restart) once and probe once; on failure put the previous files back.
            rc_dc_last=$(doveadm log errors 2>/dev/null | tail -n 1) || rc_dc_last=
            if ! rc_dc_msg=$(rc_dc_control "$rc_dc_action"); then
              rc_dc_rollback "$rc_dc_action" "$rc_dc_msg"
            fi
            sleep 1
            if ! rc_dc_msg=$(rc_dc_probe 2>&1); then
              rc_dc_rollback "IMAP probe" "$rc_dc_msg"
            fi
            echo "dovecot ${rc_dc_action}ed"
            """);
        return script.ToString();
    }

    /// <summary>A file carried by another's transaction succeeds only if that transaction left it in place.</summary>
    public static string Confirm(DovecotFileResource desired, string carriedBy) => $$"""
        p={{Sh.Quote(desired.Path)}}
        {{FileFacts.Holds("\"$p\"", Sha256Text.Hex(desired.Content ?? ""))}} || { printf '%s\n' {{Sh.Quote($"not applied: the transaction in {carriedBy} did not complete")}}; exit 1; }
        """;

    /// <summary>
    /// rc_dc_probe: dovecot is running, answers IMAP on 127.0.0.1:143 and takes each declared login (when protocols
    /// include imap), and every unix_listener it declares under /var/spool/postfix (postfix's SASL socket) exists.
    /// </summary>
    private static string ProbeFunction(IReadOnlyList<DovecotProbeResource> probes)
    {
        var f = new StringBuilder();
        f.AppendLine("rc_dc_probe() {");
        f.AppendLine("  rc_dc_alive || { echo \"dovecot is not running after the $rc_dc_action\"; return 1; }");
        f.AppendLine("  rc_dc_protocols=$(doveconf -h protocols 2>&1) || { echo \"doveconf -h protocols: $rc_dc_protocols\"; return 1; }");
        f.AppendLine("  case \" $rc_dc_protocols \" in");
        f.AppendLine("    *\" imap \"*)");
        f.AppendLine($"      perl -e {Sh.Quote(ProbeProgram)} <<'{ProbesEnd}' || return 1");
        foreach (var probe in probes)
        {
            f.AppendLine($"{Hex(probe.User)} {Hex(probe.Password)}");
        }

        f.AppendLine(ProbesEnd);
        f.AppendLine("      ;;");
        f.AppendLine(probes.Count == 0
            ? "    *) ;;"
            : "    *) echo \"protocols =$rc_dc_protocols does not include imap: the declared login cannot be probed\"; return 1 ;;");
        f.AppendLine("  esac");
        f.AppendLine("  for rc_dc_sock in $(doveconf -n 2>/dev/null | awk '$1 == \"unix_listener\" && $2 ~ /^\\/var\\/spool\\/postfix\\// { print $2 }'); do");
        f.AppendLine("    [ -S \"$rc_dc_sock\" ] || { echo \"the socket $rc_dc_sock that dovecot declares for postfix does not exist\"; return 1; }");
        f.AppendLine("  done");
        f.AppendLine("}");
        return f.ToString();
    }

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    private static string Wrap(string base64) =>
        base64.Length == 0 ? "" : string.Join('\n', base64.Chunk(76).Select(c => new string(c)));
}
