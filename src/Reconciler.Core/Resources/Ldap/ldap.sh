## The ldap_database kind's apply (LdapProvider): a change to cn=config is tried on a copy first (slapmodify on a copy of
## /etc/ldap/slapd.d, then slaptest on it), and only then made live with ldapmodify over ldapi:/// as root (SASL EXTERNAL):
## a replace, never a delete and an add with a window between. Lines starting with ## are not sent.
## slapd.d belongs to slapd's user, not root, and the copy is read and written by root's slapmodify and slaptest: a link
## there (cn=config -> /etc/cron.d, a *.ldif -> /etc/shadow) would have root read or write where it leads, and a FIFO
## would hold the apply. The copy (in a 0700 directory of root's, so the secrets in it stay root's) must hold only
## directories and regular files, judged on the copy itself, which nobody else can change.
# rc_ldap_modify BASE64_LDIF SLAPD_D: the change, checked on a copy of SLAPD_D (/etc/ldap/slapd.d), then live.
rc_ldap_modify() {
  rc_ldap_dir=$(mktemp -d) || return 1
  printf '%s' "$1" | base64 -d > "$rc_ldap_dir/change.ldif" || { rm -rf -- "$rc_ldap_dir"; return 1; }
  if ! timeout 60 cp -a -- "$2" "$rc_ldap_dir/slapd.d" </dev/null; then rm -rf -- "$rc_ldap_dir"; echo "could not copy $2" >&2; return 1; fi
  rc_ldap_odd=$(find "$rc_ldap_dir/slapd.d" ! -type d ! -type f -print 2>&1 | head -n 1)
  if [ -L "$rc_ldap_dir/slapd.d" ] || [ -n "$rc_ldap_odd" ]; then
    rc_ldap_odd=${rc_ldap_odd#"$rc_ldap_dir/slapd.d"}
    rm -rf -- "$rc_ldap_dir"
    printf '%s holds %s, not a directory or regular file: slapmodify and slaptest run as root on its copy and would follow it; nothing changed\n' "$2" "${rc_ldap_odd:-a link}" | cut -c1-300
    return 1
  fi
  if ! rc_ldap_out=$(timeout 120 slapmodify -F "$rc_ldap_dir/slapd.d" -n0 -l "$rc_ldap_dir/change.ldif" 2>&1 </dev/null); then
    rm -rf -- "$rc_ldap_dir"
    printf 'slapmodify refused the change on a copy of cn=config; nothing changed:\n%s\n' "$rc_ldap_out" | head -n 12 | cut -c1-300
    return 1
  fi
  if ! rc_ldap_out=$(timeout 120 slaptest -u -F "$rc_ldap_dir/slapd.d" 2>&1 </dev/null); then
    rm -rf -- "$rc_ldap_dir"
    printf 'slaptest refused the changed configuration; nothing changed:\n%s\n' "$rc_ldap_out" | head -n 12 | cut -c1-300
    return 1
  fi
  if ! rc_ldap_out=$(ldapmodify -Q -Y EXTERNAL -H ldapi:/// -f "$rc_ldap_dir/change.ldif" 2>&1 </dev/null); then
    rm -rf -- "$rc_ldap_dir"
    printf 'ldapmodify failed:\n%s\n' "$rc_ldap_out" | head -n 12 | cut -c1-300
    return 1
  fi
  rm -rf -- "$rc_ldap_dir"
}
