## The dkim kind's apply functions (DkimProvider): the key directories, keys made on the host, the gate's records, and
## the signer's files written as one transaction (checked with opendkim -n, restarted, restored on any failure). Needs
## rc_write (rc-write.sh) and rc_service (service-control.sh). Lines starting with ## are not sent.
# rc_dkim_mkdir PATH MODE GROUP: a directory of root's with MODE and GROUP; a link or anything else there is refused.
rc_dkim_mkdir() {
  if [ -L "$1" ] || { [ -e "$1" ] && [ ! -d "$1" ]; }; then echo "$1 is not a directory; nothing written there" >&2; return 1; fi
  [ -d "$1" ] || mkdir -m "$2" -- "$1" || return 1
  chown "root:$3" -- "$1" && chmod "$2" -- "$1"
}
# rc_dkim_dirs DOMAIN: every directory on the way to the domain's keys and records is root's, so nobody else can swap one.
rc_dkim_dirs() {
  rc_dkim_mkdir /etc/opendkim 755 root && rc_dkim_mkdir /etc/opendkim/keys 750 opendkim &&
    rc_dkim_mkdir "/etc/opendkim/keys/$1" 750 opendkim &&
    { [ -d /var/lib/reconciler ] || mkdir -p /var/lib/reconciler; } &&
    rc_dkim_mkdir /var/lib/reconciler/dkim 700 root && rc_dkim_mkdir "/var/lib/reconciler/dkim/$1" 700 root
}
# rc_dkim_record DOMAIN SELECTOR NAME VALUE: the gate's record SELECTOR.NAME, written atomically.
rc_dkim_record() {
  rc_r="/var/lib/reconciler/dkim/$1/$2.$3"
  printf '%s\n' "$4" > "$rc_r.new" && mv -f -T -- "$rc_r.new" "$rc_r"
}
# rc_dkim_forget DOMAIN SELECTOR NAME
rc_dkim_forget() {
  rm -f -- "/var/lib/reconciler/dkim/$1/$2.$3"
}
# rc_dkim_make DOMAIN SELECTOR BITS: a new RSA key, made in the key directory under umask 077, owned by opendkim,
# mode 0600, moved into place only if no key appeared there since the plan; its public half's digest is recorded.
rc_dkim_make() {
  rc_k="/etc/opendkim/keys/$1/$2.private"
  rc_t="/etc/opendkim/keys/$1/.$2.new"
  rm -f -- "$rc_t"
  if ! (umask 077; openssl genrsa -out "$rc_t" "$3" >/dev/null 2>&1); then
    rm -f -- "$rc_t"; echo "openssl genrsa $3 failed" >&2; return 1
  fi
  chown opendkim:opendkim -- "$rc_t" && chmod 600 -- "$rc_t" || return 1
  rc_pub=$(openssl pkey -in "$rc_t" -pubout -outform DER | sha256sum | cut -c1-64) || return 1
  if [ -e "$rc_k" ] || [ -L "$rc_k" ]; then
    rm -f -- "$rc_t"; echo "$rc_k appeared since the plan; not replaced" >&2; return 1
  fi
  mv -T -- "$rc_t" "$rc_k" && rc_dkim_forget "$1" "$2" seen && rc_dkim_forget "$1" "$2" unsigned &&
    rc_dkim_record "$1" "$2" public "$rc_pub"
}
# rc_dkim_fix DOMAIN SELECTOR: the key's owner and mode as opendkim requires (a link is never followed).
rc_dkim_fix() {
  rc_k="/etc/opendkim/keys/$1/$2.private"
  if [ -L "$rc_k" ] || [ ! -f "$rc_k" ]; then echo "$rc_k is not a regular file; not changed" >&2; return 1; fi
  chown opendkim:opendkim -- "$rc_k" && chmod 600 -- "$rc_k"
}
# rc_dkim_retire DOMAIN SELECTOR: the key and the gate's records removed.
rc_dkim_retire() {
  rm -f -- "/etc/opendkim/keys/$1/$2.private"
  for rc_n in seen unsigned public; do rc_dkim_forget "$1" "$2" "$rc_n"; done
}
# rc_dkim_install PATH BASE64: PATH's content set (atomically), its previous content kept for rc_dkim_restore.
rc_dkim_install() {
  if [ -f "$1" ] && [ ! -L "$1" ]; then cp -p -- "$1" "$1.reconciler-old" || return 1; else rm -f -- "$1.reconciler-old"; : > "$1.reconciler-none"; fi
  rc_write "$1" "$2"
}
# rc_dkim_restore PATH...: each file back as it was before rc_dkim_install.
rc_dkim_restore() {
  for rc_p in "$@"; do
    if [ -f "$rc_p.reconciler-old" ]; then mv -f -T -- "$rc_p.reconciler-old" "$rc_p"; fi
    if [ -f "$rc_p.reconciler-none" ]; then rm -f -- "$rc_p" "$rc_p.reconciler-none"; fi
  done
}
# rc_dkim_commit PATH...: the previous copies dropped.
rc_dkim_commit() {
  for rc_p in "$@"; do rm -f -- "$rc_p.reconciler-old" "$rc_p.reconciler-none"; done
}
# rc_dkim_apply_config PATH...: after the files are installed: opendkim checks them, and a running opendkim restarts
# with them (and must still run); on any failure every file is restored (and opendkim restarted on the old ones).
rc_dkim_apply_config() {
  if ! rc_dkim_out=$(opendkim -n -x /etc/opendkim.conf 2>&1 </dev/null); then
    rc_dkim_restore "$@"
    printf 'opendkim refused the new configuration; the previous files are back:\n%s\n' "$rc_dkim_out" | head -n 12 | cut -c1-300
    return 1
  fi
  if rc_service status opendkim >/dev/null 2>&1; then
    if ! rc_dkim_out=$(rc_service restart opendkim) || ! rc_service status opendkim >/dev/null 2>&1; then
      rc_dkim_restore "$@"
      rc_service restart opendkim >/dev/null 2>&1 || true
      printf 'opendkim did not restart with the new configuration; the previous files are back:\n%s\n' "$rc_dkim_out" | tail -n 12 | cut -c1-300
      return 1
    fi
  fi
  rc_dkim_commit "$@"
}
