## One line per address of lo: "family cidr scope label" (label empty for IPv6). Pasted where dsr-snapshot-*.sh
## say @RC_DSR_LIST_LO@. Lines starting with ## are not sent.
ip -o addr show dev lo | awk '{ fam = $3; cidr = $4; scope = "global"; label = ""
  for (i = 5; i <= NF; i++) {
    if ($i == "scope") scope = $(i + 1)
    if ($i ~ /\\$/) { if (fam == "inet") { label = $i; sub(/\\$/, "", label) } break }
  }
  print fam " " cidr " " scope " " label }'
