## The ldap_database kind's apply (LdapProvider): a change to cn=config is tried on a copy first (slapmodify on a copy of
## /etc/ldap/slapd.d, then slaptest on it), and only then made live with ldapmodify over ldapi:/// as root (SASL EXTERNAL):
## a replace, never a delete and an add with a window between. Lines starting with ## are not sent.
# rc_ldap_modify BASE64_LDIF: the change, checked on a copy, then live.
rc_ldap_modify() {
  rc_ldap_dir=$(mktemp -d) || return 1
  printf '%s' "$1" | base64 -d > "$rc_ldap_dir/change.ldif" || { rm -rf -- "$rc_ldap_dir"; return 1; }
  if ! cp -a /etc/ldap/slapd.d "$rc_ldap_dir/slapd.d"; then rm -rf -- "$rc_ldap_dir"; echo 'could not copy /etc/ldap/slapd.d' >&2; return 1; fi
  if ! rc_ldap_out=$(slapmodify -F "$rc_ldap_dir/slapd.d" -n0 -l "$rc_ldap_dir/change.ldif" 2>&1 </dev/null); then
    rm -rf -- "$rc_ldap_dir"
    printf 'slapmodify refused the change on a copy of cn=config; nothing changed:\n%s\n' "$rc_ldap_out" | head -n 12 | cut -c1-300
    return 1
  fi
  if ! rc_ldap_out=$(slaptest -u -F "$rc_ldap_dir/slapd.d" 2>&1 </dev/null); then
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
