#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# record.sh LIFECYCLE FIXTURES - the recorders' host-side half (issue 17):
# "-i DIR" reads a --rotate directory back in order, exactly as the one
# stream it was cut from, and reports a gap in the seq; "--journal" sends
# one native-protocol entry a record, with the LIFECYCLE_* fields (to a
# socket of python3's, through LIFECYCLE_JOURNAL_SOCKET); the options'
# usage errors.  Recording itself needs the module: scripts/deb-check.sh.
set -u
. "$(dirname "$0")/lib.sh"

# split BIN DIR DROP: BIN's events in three lifecycle-N.bin files, the
# first DROP events of the second left out
split() {
	python3 - "$1" "$2" "$3" <<'PY'
import os, struct, sys
data = open(sys.argv[1], "rb").read()
out, drop = sys.argv[2], int(sys.argv[3])
evs, off = [], 8
while off + 8 <= len(data):
    size = struct.unpack_from("<H", data, off)[0]
    evs.append(data[off:off + size])
    off += size
n = len(evs) // 3
parts = [evs[:n], evs[n + drop:2 * n], evs[2 * n:]]
os.makedirs(out)
for i, p in enumerate(parts):
    with open("%s/lifecycle-%010d.bin" % (out, i + 7), "wb") as f:
        f.write(data[:8] + b"".join(p))
open(out + "/boot_id", "w").write("x\n")
PY
}

bin_fixture=$dir/recorded-6.1-stories.bin
split "$bin_fixture" "$tmp/rot" 0
split "$bin_fixture" "$tmp/gap" 4
for fmt in "" -j; do
	"$bin" $fmt -i "$bin_fixture" > "$tmp/want" 2>&1
	expect 0 "-i DIR $fmt" "$bin" $fmt -i "$tmp/rot"
	if cmp -s "$tmp/out" "$tmp/want"; then ok; else ko "-i DIR $fmt: not the stream it was cut from"; fi
done
expect 1 "-i DIR with a gap" "$bin" -i "$tmp/gap"
if grep -q 'lifecycle-0000000008.bin: seq [0-9]* follows [0-9]*: 4 records missing' "$tmp/err"
then ok; else ko "-i DIR with a gap: $(cat "$tmp/err")"; fi
mkdir "$tmp/empty"
expect 1 "-i of a directory without recordings" "$bin" -i "$tmp/empty"

expect 2 "--max-bytes 1" "$bin" -f --rotate "$tmp/x" --max-bytes 1
expect 2 "--max-files 0" "$bin" -f --rotate "$tmp/x" --max-files 0
expect 2 "--max-files without --rotate" "$bin" -f --max-files 3
expect 2 "--journal -j" "$bin" -f --journal -j
expect 2 "--journal -r" "$bin" -f --journal -r
expect 2 "--rotate run" "$bin" --rotate "$tmp/x" run -- true

# --journal: one datagram a record, every field as the text has it
text=$dir/recorded-6.1-stories.txt
python3 - "$tmp/sock" "$tmp/entries" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1] + ".tmp")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(10)
with open(sys.argv[2], "wb") as f:
    try:
        while True:
            d = s.recv(65536)
            f.write(d.replace(b"\n", b"\x1f") + b"\n")
            f.flush()
    except socket.timeout:
        pass
PY
rpid=$!
i=0
while [ ! -S "$tmp/sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
LIFECYCLE_JOURNAL_SOCKET=$tmp/sock expect 0 "--journal -i" "$bin" --journal -i "$text"
want=$(grep -c '^[0-9]' "$text")
i=0
while [ "$(wc -l < "$tmp/entries")" -lt "$want" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
got=$(wc -l < "$tmp/entries")
if [ "$got" -eq "$want" ]; then ok; else ko "--journal: $got entries, want $want"; fi
n=$(grep -c 'SYSLOG_IDENTIFIER=lifecycle.*LIFECYCLE_EVENT=' "$tmp/entries")
if [ "$n" -eq "$want" ]; then ok; else ko "--journal: $n entries with the fields, want $want"; fi
n=$(grep 'LIFECYCLE_EVENT=reparent' "$tmp/entries" | grep -c 'LIFECYCLE_NEW_PPID=[0-9]*.LIFECYCLE_REASON=\(init\|subreaper\)')
want=$(grep -c ' reparent ' "$text")
if [ "$n" -eq "$want" ]; then ok; else ko "--journal: $n reparent entries with NEW_PPID and REASON, want $want"; fi
if grep -q '^MESSAGE=exec .*LIFECYCLE_FILENAME=/' "$tmp/entries"; then ok; else ko "--journal: no exec MESSAGE and FILENAME"; fi

finish record
