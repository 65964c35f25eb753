#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# letters.sh LABEL PARENT COMM - for a ptydrive.py "run:" step: the state
# of PARENT's child COMM as ps's STAT and as the lineage table's letter.
p=$(pgrep -n -P "$2" -x "$3")
l=$(awk -v p="$p" 'NR > 1 && $1 == p { l = $5 } END { print l }' \
	/sys/kernel/debug/lifecycle/lineage)
printf '%-12s %s %s: ps STAT %s, lineage %s\n' "$1" "$3" "$p" \
	"$(ps -o stat= -p "$p")" "$l"
