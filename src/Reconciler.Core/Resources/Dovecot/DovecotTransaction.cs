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

    /// <summary>The transaction's functions (rc_dc_stage_file, rc_dc_put_back, rc_dc_control, rc_dc_rollback, ...).</summary>
    private static string Helpers => ShellFiles.Load("dovecot-transaction.sh");

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

    /// <summary>
    /// A file carried by another's transaction succeeds only if that transaction left it in place: its content, mode,
    /// owner and group as declared. Content alone would report a mode-only change (a secret file made private) applied
    /// when the transaction was rolled back.
    /// </summary>
    public static string Confirm(DovecotFileResource desired, string carriedBy) => $$"""
        p={{Sh.Quote(desired.Path)}}
        {{FileFacts.Holds("\"$p\"", Sha256Text.Hex(desired.Content ?? ""), desired.Mode, desired.Owner, desired.Group)}} || { printf '%s\n' {{Sh.Quote($"not applied: the transaction in {carriedBy} did not complete")}}; exit 1; }
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
