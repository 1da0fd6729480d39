## The dkim kind's read (DkimFacts): the host's clock and tools, opendkim's tables, and each declared selector's key
## (its kind, mode, owner, group, public half) with the gate's records. Host-wide records: NOW, OPENSSL, OPENDKIM,
## CONF, ST, KT; per domain (by index): DIR and KEY. Lines starting with ## are not sent.
printf 'NOW\t%s\n' "$(date +%s)"
if command -v openssl >/dev/null 2>&1; then printf 'OPENSSL\tyes\n'; else printf 'OPENSSL\tno\n'; fi
if [ -x /usr/sbin/opendkim ] && id -u opendkim >/dev/null 2>&1; then printf 'OPENDKIM\tyes\n'; else printf 'OPENDKIM\tno\n'; fi
for rc_f in /etc/opendkim/KeyTable /etc/opendkim/SigningTable /etc/opendkim/TrustedHosts /etc/opendkim.conf; do
  if [ -f "$rc_f" ] && [ ! -L "$rc_f" ]; then
    printf 'CONF\t%s\t%s\n' "$rc_f" "$(head -c 1048576 -- "$rc_f" | sha256sum | cut -c1-64)"
  else
    printf 'CONF\t%s\t-\n' "$rc_f"
  fi
done
# rc_dkim_table TAG FILE: a table's first two fields per line (comments skipped), bounded in lines and length.
rc_dkim_table() {
  if [ -f "$2" ] && [ ! -L "$2" ]; then
    head -c 262144 -- "$2" | awk -v t="$1" 'NF >= 2 && $1 !~ /^#/ { printf "%s\t%s\t%s\n", t, substr($1, 1, 300), substr($2, 1, 600) }' | head -n 2000
  fi
}
rc_dkim_table ST /etc/opendkim/SigningTable
rc_dkim_table KT /etc/opendkim/KeyTable
# rc_dkim_word FILE: the first line of a small record file, letters and digits only, or '-'.
rc_dkim_word() {
  rc_w=-
  if [ -f "$1" ] && [ ! -L "$1" ]; then rc_w=$(head -c 128 -- "$1" | head -n 1 | tr -cd '0-9a-f'); fi
  printf '%s' "${rc_w:--}"
}
# rc_dkim_stat PATH: its kind, mode, owner and group, tab-separated (a link is not followed).
rc_dkim_stat() {
  if [ -L "$1" ]; then printf 'symlink\t-\t-\t-'
  elif [ -f "$1" ]; then printf 'file\t%s' "$(stat -c '%a	%U	%G' -- "$1")"
  elif [ -d "$1" ]; then printf 'directory\t%s' "$(stat -c '%a	%U	%G' -- "$1")"
  elif [ -e "$1" ]; then printf 'other\t-\t-\t-'
  else printf 'none\t-\t-\t-'
  fi
}
# rc_dkim_dir INDEX DOMAIN / rc_dkim_key INDEX DOMAIN SELECTOR
rc_dkim_dir() {
  printf 'DIR\t%s\t%s\n' "$1" "$(rc_dkim_stat "/etc/opendkim/keys/$2")"
}
rc_dkim_key() {
  rc_f="/etc/opendkim/keys/$2/$3.private"
  rc_s="/var/lib/reconciler/dkim/$2/$3"
  rc_p=-
  if [ -f "$rc_f" ] && [ ! -L "$rc_f" ] && [ ! -L "/etc/opendkim/keys/$2" ]; then
    rc_p=$(openssl pkey -in "$rc_f" -pubout -outform DER 2>/dev/null | base64 -w0)
  fi
  printf 'KEY\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$3" "$(rc_dkim_stat "$rc_f")" "${rc_p:--}" \
    "$(rc_dkim_word "$rc_s.seen")" "$(rc_dkim_word "$rc_s.unsigned")" "$(rc_dkim_word "$rc_s.public")"
}
