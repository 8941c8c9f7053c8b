#!/bin/sh
# Builds the image's whole file system in DIR: the screenlab binary (cgo on,
# so JPEG-LS and JPEG 2000 decode) and exactly the shared libraries it and
# the two codec libraries it opens at run time (CharLS, OpenJPEG) load, with
# the dynamic loader; nothing else (no shell, no package manager). Used by
# deploy/Dockerfile; deploy_test.go runs a round inside such a folder with
# chroot. Usage: deploy/rootfs.sh BINARY DIR
set -eu
bin=$1
dir=$2
mkdir -p "$dir/tmp"
chmod 1777 "$dir/tmp"
cp "$bin" "$dir/screenlab"
libs=""
for l in libcharls.so.2 libopenjp2.so.7; do
	p=$(ldconfig -p | awk -v l="$l" '$1 == l && /x86-64|x86_64|AArch64|aarch64/ {print $NF; exit}')
	[ -n "$p" ] || { echo "rootfs.sh: $l not installed (apt-get install libcharls2 libopenjp2-7)" >&2; exit 1; }
	libs="$libs $p"
done
for f in "$bin" $libs; do
	echo "$f"
	ldd "$f" | awk '/=> \// {print $3} /^[ \t]*\/.*ld-linux/ {print $1}'
done | sort -u | while read -r f; do
	[ "$f" = "$bin" ] && continue
	mkdir -p "$dir$(dirname "$f")"
	cp -L "$f" "$dir$f"
done
