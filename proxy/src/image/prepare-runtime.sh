#!/usr/bin/env bash
# Lays out the root file system that the Sekisho image runs on, for Jib to put on top of an
# empty ("scratch") base image: a Java runtime made with jlink from the build JDK, the shared
# libraries that runtime loads (taken from the build host, at the paths the loader expects),
# and the files a non-root user needs (/etc/passwd, /etc/group, a writable /tmp).
#
#   prepare-runtime.sh OUTPUT_DIR [JAVA_HOME]
#
# Run by `mvn -Pimage package` (see docs/image.md); it only reads the host and writes OUTPUT_DIR.
# The libraries are copies of the host's: rebuild the image to pick up their security updates.
set -euo pipefail

root=${1:?usage: prepare-runtime.sh OUTPUT_DIR [JAVA_HOME]}
java_home=${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}
jlink="$java_home/bin/jlink"
uid=10001
gid=10001

# What the proxy uses (`jdeps --print-module-deps --ignore-missing-deps --multi-release 17` on
# proxy/target/sekisho.jar), plus what is found only at run time: EC and PKCS#11 providers,
# the JNDI DNS provider Netty reads name servers with, legacy charsets (Shift_JIS, EUC-JP),
# Japanese locale data, and the zip file system.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http
modules+=,java.sql,java.xml,jdk.jfr,jdk.management,jdk.unsupported
modules+=,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.charsets,jdk.localedata,jdk.zipfs

# java.desktop is there for java.beans only (Jackson, Micrometer): its native AWT, font, image
# and sound libraries would pull in X11, FreeType and ALSA, and nothing in a proxy loads them.
desktop_natives=awt,awt_headless,awt_xawt,fontmanager,javajpeg,jawt,jsound,lcms,mlib_image,splashscreen
exclude=$(tr ',' '\n' <<<"$desktop_natives" | sed 's|.*|**/lib&.so|' | paste -sd,)

[[ -x "$jlink" ]] || { echo "prepare-runtime: no jlink in $java_home (a JDK is needed, not a JRE)" >&2; exit 1; }
if "$jlink" --list-plugins | grep -q 'zip-\[0-9\]'; then compress=zip-6; else compress=2; fi

rm -rf "$root"
mkdir -p "$root"
"$jlink" --add-modules "$modules" --include-locales=en,ja --exclude-files="$exclude" \
    --strip-debug --no-header-files --no-man-pages --compress="$compress" --output "$root/opt/java"

# Debian's JDK links the legal notices of each module to java.base's; keep them as plain files.
find "$root/opt/java" -type l | while read -r link; do
    target=$(readlink -f "$link")
    rm "$link"
    cp "$target" "$link"
done

# Every shared library the runtime's programs and libraries need from the system, copied as a
# regular file to the path ldd names (the loader's own path and /lib/x86_64-linux-gnu/...).
libs=$(mktemp)
trap 'rm -f "$libs"' EXIT
while read -r elf; do
    ldd "$elf" | awk '$2 == "=>" && $3 == "not" { print "missing " $1; next }
                      $2 == "=>" && $3 ~ /^\// { print "lib " $3; next }
                      $1 ~ /^\// { print "lib " $1 }'
done < <(find "$root/opt/java" -type f -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' _ {} \; -print) \
    | sort -u >"$libs"
# libjvm.so is found by the JDK's own libraries once the launcher has loaded it
if grep '^missing' "$libs" | grep -v ' libjvm\.so$'; then
    echo "prepare-runtime: the libraries above are needed but not installed on this host" >&2
    exit 1
fi
grep '^lib ' "$libs" | cut -d' ' -f2 | grep -v "^$root/" | while read -r lib; do
    install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
done

# The C.UTF-8 locale (the image sets LANG=C.UTF-8): without it Java 17 reads and writes file
# names and standard output as ASCII, and Japanese text turns into question marks.
locale=/usr/lib/locale/C.utf8
[[ -d "$locale" ]] || { echo "prepare-runtime: $locale is missing (Debian: package libc-bin)" >&2; exit 1; }
mkdir -p "$root/usr/lib/locale"
cp -R "$locale" "$root/usr/lib/locale/"

# A record of where the runtime came from, for whoever has to decide whether to rebuild.
mkdir -p "$root/usr/share/sekisho"
{
    echo "Java runtime: jlink from $java_home"
    sed -n 's/^JAVA_VERSION=/  version /p' "$root/opt/java/release"
    echo "  modules $modules"
    echo "Shared libraries and the C.UTF-8 locale, copied from the build host:"
    grep '^lib ' "$libs" | cut -d' ' -f2 | grep -v "^$root/" | while read -r lib; do
        # dpkg knows a file by the path its package ships, before or after the /usr merge
        real=$(readlink -f "$lib")
        package=$(dpkg -S "$lib" "$real" "${real#/usr}" 2>/dev/null | cut -d: -f1 | head -n 1 || true)
        version=${package:+$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)}
        echo "  $lib ${package:-?} ${version:-}"
        # the licences of the libraries' packages travel with them
        if [[ -n "$package" && -f "/usr/share/doc/$package/copyright" ]]; then
            install -D -m 0644 "/usr/share/doc/$package/copyright" "$root/usr/share/doc/$package/copyright"
        fi
    done
    package=$(dpkg -S "$locale" 2>/dev/null | cut -d: -f1 | head -n 1 || true)
    echo "  $locale ${package:-?} ${package:+$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)}"
} >"$root/usr/share/sekisho/runtime.txt"

# The user the image runs as, and nothing else: no root entry, no shell.
mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/sekisho" "$root/etc/sekisho"
echo "sekisho:x:$uid:$gid:Sekisho:/var/lib/sekisho:/sbin/nologin" >"$root/etc/passwd"
echo "sekisho:x:$gid:" >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"

echo "prepare-runtime: $(du -sh "$root" | cut -f1) in $root"
