## The mail_graphs kind's read (MailGraphFacts): run by PathSafety.Judged for each RRD directory, as root or as the user
## who controls the directory (Debian's init script gives /var/lib/mailgraph to www-data), with $p the resolved
## directory. The export itself is mail-graphs-export.pl (its records are described there), put in place of
## RC_MG_PROGRAM by MailGraphFacts with the limits RC_MG_MAX_ROWS (rows per archive) and RC_MG_MAX_BYTES; this
## function only makes sure it can run, and bounds it: at most 30 seconds and RC_MG_MAX_BYTES bytes, after which a
## record T INDEX bytes says the answer was cut (an honest export is about 20 KiB).
## Lines starting with ## are not sent.
# rc_mg_export I: the export of the RRDs in $p, as records of resource I.
rc_mg_export() {
  if ! command -v perl >/dev/null 2>&1; then
    printf 'E\t%s\tperl is not installed (the mailgraph package depends on it)\n' "$1"; return 0
  fi
  if ! perl -MRRDs -e 1 >/dev/null 2>&1; then
    printf "E\t%s\tPerl's RRDs module is not installed (librrds-perl, which the mailgraph package depends on)\n" "$1"; return 0
  fi
  # The program goes on perl's stdin, the directory as an argument: nothing in it is ever read as code.
  timeout 30 perl -MRRDs - "$1" "$p" @RC_MG_MAX_ROWS@ 2>/dev/null <<'RC_MG_PERL' | {
@RC_MG_PROGRAM@
RC_MG_PERL
    head -c @RC_MG_MAX_BYTES@
    # head stops reading at the limit: whatever is left means the export was longer.
    if [ "$(head -c 1 | wc -c)" -gt 0 ]; then printf '\nT\t%s\tbytes\n' "$1"; fi
  }
}
