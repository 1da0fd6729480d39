## The postfix transaction's functions (PostfixTransaction.Script adds the per-change lines with Sh.Quote); they use
## the script's rc_pf_conf, rc_pf_stage, rc_pf_check and rc_pf_group. postfix(1) prints its reasons on stderr only when
## stderr is a terminal (otherwise to syslog alone), so its commands run under script(1) (util-linux, essential on
## Debian) when it exists, to hand back postfix's own words. Their stdin is /dev/null: the apply script itself arrives
## on sh's stdin, and script(1) would read (and swallow) whatever of it sh has not read yet.
## Lines starting with ## are not sent.
rc_pf_run() {
  if command -v script >/dev/null 2>&1; then rc_pf_msg=$(script -qec "$1" /dev/null 2>&1 </dev/null); else rc_pf_msg=$(sh -c "$1" 2>&1 </dev/null); fi
  rc_pf_rc=$?
  rc_pf_msg=$(printf '%s' "$rc_pf_msg" | tr -d '\r' | tr '\n' ' ')
  return "$rc_pf_rc"
}
rc_pf_fail() { printf 'postfix transaction: %s failed: %s\n' "$1" "$2"; exit 1; }
# rc_pf_new_warnings TEXT: postconf's warnings about the check view that the live config does not already have, on one line.
rc_pf_new_warnings() {
  printf '%s\n' "$1" | sed "s|$rc_pf_check/|CONF/|g; s|$rc_pf_stage/|CONF/|g" | grep -v '^$' | grep -vxF -f "$rc_pf_stage/live.warnings" | tr '\n' ' ' | sed 's/ *$//' || true
}
# rc_pf_map NAME BASE64: the new map file in the stage, 0640 root:$rc_pf_group (mail_owner's daemons read it);
# the live one, if any, kept for a restore.
rc_pf_map() {
  printf '%s' "$2" | base64 -d > "$rc_pf_stage/$1" || return 1
  chown "root:$rc_pf_group" "$rc_pf_stage/$1" && chmod 0640 "$rc_pf_stage/$1" || return 1
  if [ -e "$rc_pf_conf/$1" ]; then cp -p -- "$rc_pf_conf/$1" "$rc_pf_stage/$1.before" || return 1; fi
}
# rc_pf_point NAME: main.cf in the check view names the staged map NAME wherever it names the live one (the path
# followed by a space, a comma or the end of the line). The paths reach awk as data (ENVIRON), never as program
# text, and are compared as strings, not patterns.
rc_pf_point() {
  RC_PF_FROM=":$rc_pf_conf/$1" RC_PF_TO=":$rc_pf_check/$1" awk '
    { from = ENVIRON["RC_PF_FROM"]; out = ""; rest = $0
      while ((i = index(rest, from)) > 0) {
        next_char = substr(rest, i + length(from), 1)
        out = out substr(rest, 1, i - 1) ((next_char == "" || index(" \t\r\v\f,", next_char) > 0) ? ENVIRON["RC_PF_TO"] : from)
        rest = substr(rest, i + length(from))
      }
      print out rest }' "$rc_pf_check/main.cf" > "$rc_pf_stage/main.cf.pointed" && cat -- "$rc_pf_stage/main.cf.pointed" > "$rc_pf_check/main.cf"
}
# rc_pf_lookup NAME KEY TYPE: postmap -q KEY against the staged map NAME. Sets rc_pf_rc, rc_pf_out (the answer)
# and rc_pf_err (postmap's warnings and fatal errors, which it prints on stderr, naming the live path).
rc_pf_lookup() {
  rc_pf_t=; if command -v timeout >/dev/null 2>&1; then rc_pf_t="timeout 30"; fi
  rc_pf_rc=0
  rc_pf_out=$($rc_pf_t postmap -q "$2" "$3:$rc_pf_stage/$1" 2>"$rc_pf_stage/postmap.err" </dev/null) || rc_pf_rc=$?
  rc_pf_err=$(sed "s|$rc_pf_stage/|$rc_pf_conf/|g" "$rc_pf_stage/postmap.err" | tr '\n' ' ' | sed 's/ *$//')
  if [ "$rc_pf_rc" -eq 124 ]; then rc_pf_err="no answer within 30 s${rc_pf_err:+: $rc_pf_err}"; fi
}
# The probe reads the SMTP banner on 127.0.0.1:25, and on 587 when master.cf runs the submission service (the
# port mail clients use; its own -o options can break it alone). POSIX sh has no sockets, so it uses perl
# (perl-base is essential on Debian); without perl only "postfix status" is checked.
rc_pf_probe() {
  if ! command -v perl >/dev/null 2>&1; then rc_pf_msg=$(postfix status 2>&1); return; fi
  rc_pf_ports=25
  [ -z "$(postconf -M submission/inet 2>/dev/null)" ] || rc_pf_ports="25 587"
  for rc_pf_port in $rc_pf_ports; do
    rc_pf_msg=$(RC_PORT=$rc_pf_port perl -MIO::Socket::INET -e '
      my $p = $ENV{RC_PORT};
      my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $p, Timeout => 5)
        or die "cannot connect to 127.0.0.1:$p: $@\n";
      $SIG{ALRM} = sub { die "no SMTP banner from 127.0.0.1:$p within 5 s (smtpd exits on start)\n" }; alarm 5;
      my $l = <$s>; defined $l or die "127.0.0.1:$p closed the connection without a banner\n";
      $l =~ /^220[ -]/ or die "unexpected SMTP banner on port $p: $l"; print $s "QUIT\r\n"; print $l;' 2>&1) || return 1
  done
}
