## Sets rc_my to the client (mariadb, else mysql), empty when neither is installed, and defines rc_my_error
## (MariaDbShell.Setup, before every MariaDB read and apply). Lines starting with ## are not sent.
PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH
rc_my=$(command -v mariadb || command -v mysql) || rc_my=
rc_my_error() {
  rc_my_line=$(grep -E '^(ERROR|mysql:|mariadb:)' | head -n 1 | sed \
    -e "s| near '.*| (statement text withheld)|" \
    -e "s|'[^']*[^A-Za-z0-9_.@%:/ '-][^']*'|'(value withheld)'|g" \
    -e 's|[0-9A-Fa-f]\{16,\}|(hex withheld)|g')
  printf '%s' "${rc_my_line:-the client failed without an error line}"
}
