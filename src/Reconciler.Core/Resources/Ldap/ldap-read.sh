## The ldap_database kind's read (LdapFacts): slapd's MDB databases in cn=config (slapcat -n0, only olcSuffix and olcDb*
## attributes, any value whose name says it is a secret withheld on the host), and each database directory's map as
## mdb_stat -e reports it. Host-wide records: SLAPD, DB, ATTR, MDB. Lines starting with ## are not sent.
## slapd.d and the database directories belong to slapd's user, not root: every command reading them is bounded in
## time (a FIFO or a stalled file there cannot hold the read), and mdb_stat runs only on a database slapd has opened —
## data.mdb and lock.mdb regular files — as root would otherwise create a lock.mdb slapd's user cannot open.
if ! command -v slapcat >/dev/null 2>&1; then printf 'SLAPD\tmissing\n'; exit 0; fi
printf 'SLAPD\tpresent\n'
rc_ldap_tmp=$(mktemp) || exit 1
if ! timeout 60 slapcat -n0 -o ldif-wrap=no </dev/null >"$rc_ldap_tmp" 2>/dev/null; then rm -f -- "$rc_ldap_tmp"; echo 'slapcat -n0 failed' >&2; exit 1; fi
head -c 4194304 -- "$rc_ldap_tmp" | awk '
  /^dn: / { db = ""; if ($0 ~ /^dn: olcDatabase=\{[0-9]+\}mdb,cn=config$/) { db = substr($0, 5); print "DB\t" db } next }
  db != "" && /^olc(Suffix|Db[A-Za-z]+)::? / {
    i = index($0, ":"); name = substr($0, 1, i - 1); rest = substr($0, i + 1); enc = "text"
    if (substr(rest, 1, 1) == ":") { enc = "base64"; rest = substr(rest, 2) }
    sub(/^ /, "", rest)
    if (tolower(name) ~ /pass|pw|secret|cred|bind$|key|crypt/) { enc = "withheld"; rest = "-" }
    gsub(/\t/, " ", rest)
    printf "ATTR\t%s\t%s\t%s\t%s\n", db, name, enc, substr(rest, 1, 2048)
  }' | head -n 20000
awk '/^olcDbDirectory: / { print substr($0, 17) }' "$rc_ldap_tmp" | head -n 64 | while IFS= read -r rc_ldap_dir; do
  case "$rc_ldap_dir" in *"	"*) continue ;; esac
  if ! command -v mdb_stat >/dev/null 2>&1; then
    printf 'MDB\t%s\tno-mdb_stat\t-\t-\n' "$rc_ldap_dir"
  elif [ ! -f "$rc_ldap_dir/data.mdb" ] || [ -L "$rc_ldap_dir/data.mdb" ] || [ ! -f "$rc_ldap_dir/lock.mdb" ] || [ -L "$rc_ldap_dir/lock.mdb" ]; then
    printf 'MDB\t%s\t-\t-\t-\n' "$rc_ldap_dir"
  else
    timeout 10 mdb_stat -e -- "$rc_ldap_dir" </dev/null 2>/dev/null | head -c 65536 | rc_ldap_d="$rc_ldap_dir" awk 'BEGIN { d = ENVIRON["rc_ldap_d"] }
      /Map size:/ { m = $3 } /Page size:/ { p = $3 } /Number of pages used:/ { u = $5 }
      END { printf "MDB\t%s\t%s\t%s\t%s\n", d, (m == "" ? "-" : m), (p == "" ? "-" : p), (u == "" ? "-" : u) }'
  fi
done
rm -f -- "$rc_ldap_tmp"
