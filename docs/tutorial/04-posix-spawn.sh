#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 04 - spawn.py: posix_spawn() (chapter section 3-3).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

m=$(mark)
python3 "$SEED/spawn.py" > "$OUT/program.txt" & parent=$!
wait $parent
sleep 0.5
cat "$OUT/program.txt"
snap "$m"
child=$(awk -v p="$parent" '$4 == "fork" && $7 == p { print $6 }' "$OUT/log")
wait_gone "${child:-0}"
timeline "$parent"
raw "$parent" "$child"

expect "spawn.py created one process" 1 "$(echo "$child" | wc -w)"
# glibc's posix_spawn() is clone(CLONE_VM | CLONE_VFORK): the parent sleeps
# until the child has exec'd, and no page tables are copied.
flags=$(rec fork "$child" | val clone_flags)
expect "clone flags include CLONE_VM|CLONE_VFORK (0x4100)" 0x4100 \
	"$(printf '0x%x' $((flags & 0x4100)))"
expect "vfork" 1 "$(rec fork "$child" | val vfork)"
expect "exec filename" /bin/echo "$(rec exec "$child" | val filename)"
expect "echo ($child) exit code" 0 "$(rec exit "$child" | val code)"
expect "echo printed" "posix_spawn()로 생성되었습니다" \
	"$(grep -o 'posix_spawn()로 생성되었습니다' "$OUT/program.txt")"
