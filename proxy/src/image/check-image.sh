#!/usr/bin/env bash
# Checks the image that `mvn -Pimage package` writes, without a container engine: reads its
# index, manifest and configuration, unpacks its layers, and runs its entrypoint in a chroot as
# the image's user (10001), on a read-only root with only /tmp writable, as a container would.
#
#   sudo proxy/src/image/check-image.sh [IMAGE_TAR] [--demo]
#
# --demo also starts `sekisho demo` in the image on ports 18080 (proxy), 19090 (management),
# 18081 and 18082, asks it for a token and an app page through the proxy, and stops it.
# Needs root (chroot, mount namespaces), python3, a JDK's javac and, for --demo, curl. Not part of the tests.
set -euo pipefail

image=proxy/target/sekisho-image.tar
demo=false
for arg in "$@"; do
    case "$arg" in
        --demo) demo=true ;;
        *) image=$arg ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "check-image: needs root (chroot and mount namespaces)" >&2; exit 2; }
[[ -f "$image" ]] || { echo "check-image: no $image (build it: mvn -B -Pimage -DskipTests package)" >&2; exit 2; }

work=$(mktemp -d)
demo_pid=
# The demo runs as the first process of its PID namespace, a child of unshare (which ignores
# SIGTERM): stopping it means signalling that process itself.
stop_demo() {
    [[ -n "$demo_pid" ]] || return 0
    local unshare_pid java_pid
    for unshare_pid in $(pgrep -P "$demo_pid" || true); do
        for java_pid in $(pgrep -P "$unshare_pid" || true); do
            kill -TERM "$java_pid" 2>/dev/null || true
        done
    done
    wait "$demo_pid" 2>/dev/null || true
    demo_pid=
}
trap 'stop_demo; rm -rf "$work"' EXIT
failures=0
passed=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failures=$((failures + 1)); fi
}

mkdir "$work/oci" "$work/rootfs"
tar -xf "$image" -C "$work/oci"

# Index -> manifest -> configuration; the layers in order; the settings the checks need.
python3 - "$work/oci" >"$work/image.env" <<'EOF'
import json, shlex, sys
oci = sys.argv[1]
blob = lambda d: f"{oci}/blobs/{d.replace(':', '/')}"
index = json.load(open(f"{oci}/index.json"))
manifest_ref = index["manifests"][0]
manifest = json.load(open(blob(manifest_ref["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
c = config["config"]
out = {
    "REF": manifest_ref.get("annotations", {}).get("org.opencontainers.image.ref.name", ""),
    "MANIFEST_TYPE": manifest.get("mediaType", ""),
    "OS_ARCH": f'{config["os"]}/{config["architecture"]}',
    "USER": c.get("User", ""),
    "LAYERS": " ".join(blob(l["digest"]) for l in manifest["layers"]),
    "LAYER_BYTES": str(sum(l["size"] for l in manifest["layers"])),
}
for k, v in out.items():
    print(f"{k}={shlex.quote(v)}")
print("ENTRYPOINT=(" + " ".join(shlex.quote(a) for a in c.get("Entrypoint", [])) + ")")
print("ENV=(" + " ".join(shlex.quote(e) for e in c.get("Env", [])) + ")")
EOF
# shellcheck disable=SC1091
source "$work/image.env"

echo "image $REF ($OS_ARCH), $(wc -w <<<"$LAYERS") layers, $((LAYER_BYTES / 1024 / 1024)) MiB compressed"
echo "entrypoint: ${ENTRYPOINT[*]}"
check "OCI manifest" test "$MANIFEST_TYPE" = application/vnd.oci.image.manifest.v1+json
check "linux/amd64" test "$OS_ARCH" = linux/amd64
check "runs as 10001:10001" test "$USER" = 10001:10001
check "entrypoint is the jlinked java" test "${ENTRYPOINT[0]}" = /opt/java/bin/java

for layer in $LAYERS; do
    tar --warning=no-unknown-keyword -xzf "$layer" -C "$work/rootfs"
done
root=$work/rootfs
check "/etc/passwd names only sekisho (10001), no root" \
    test "$(cut -d: -f1,3,4 "$root/etc/passwd")" = sekisho:10001:10001
check "no shell in the image" test ! -e "$root/bin/sh"
check "loader at /lib64/ld-linux-x86-64.so.2" test -f "$root/lib64/ld-linux-x86-64.so.2"
check "class path file from Jib" test -f "$root/app/jib-classpath-file"
check "/tmp is writable by all" test "$(stat -c %a "$root/tmp")" = 777

# what a container engine adds to every container: /etc/hosts and /etc/resolv.conf
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || : >"$root/etc/resolv.conf"

# Runs COMMAND as 10001 in a chroot of the unpacked layers: its own PID and mount namespaces,
# /proc mounted (the loader finds libjli.so through it), the root read-only and a fresh /tmp,
# the environment of the image's configuration only.
run_as_container() {
    mkdir -p "$root/proc"
    # shellcheck disable=SC2016
    unshare --pid --mount --kill-child=SIGTERM --propagation private sh -c '
        root=$1; shift
        mount --rbind "$root" "$root"
        mount -o remount,bind,ro "$root"
        mount -t proc proc "$root/proc"
        mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"
        exec "$@"' sh "$root" env -i "${ENV[@]}" "$chroot" --userspec=10001:10001 "$root" "$@"
}
run_in_image() { run_as_container "${ENTRYPOINT[@]}" "$@"; }
chroot=$(command -v chroot)

run_in_image --help >"$work/help.txt" 2>&1 || true
check "--help lists the commands" grep -q 'demo' "$work/help.txt"
run_in_image --version >"$work/version.txt" 2>&1 || true
check "--version: $(head -n 1 "$work/version.txt")" grep -q '^sekisho ' "$work/version.txt"
# user, encoding (Japanese text must survive) and the root file system, seen from inside
mkdir -p "$root/opt/check"
cat >"$root/opt/check/Probe.java" <<'EOF'
public class Probe {
    public static void main(String[] a) throws Exception {
        System.out.println("user=" + System.getProperty("user.name") + " jnu=" + System.getProperty("sun.jnu.encoding"));
        System.out.println("root-writable=" + java.nio.file.Files.isWritable(java.nio.file.Path.of("/")));
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/市民課.txt"), "住民記録");
        System.out.println("tmp=" + java.nio.file.Files.readString(java.nio.file.Path.of("/tmp/市民課.txt")));
    }
}
EOF
# compiled here: the image's runtime has no compiler
javac --release 17 -d "$root/opt/check" "$root/opt/check/Probe.java"
run_as_container /opt/java/bin/java -cp /opt/check Probe >"$work/probe.txt" 2>&1 || true
sed 's/^/     /' "$work/probe.txt"
rm -rf "$root/opt/check"
check "runs as sekisho with UTF-8 file names" grep -qx 'user=sekisho jnu=UTF-8' "$work/probe.txt"
check "root file system is read-only" grep -qx 'root-writable=false' "$work/probe.txt"
check "/tmp holds Japanese names and text" grep -qx 'tmp=住民記録' "$work/probe.txt"

if $demo; then
    run_in_image demo --port 18080 --management-port 19090 --issuer-port 18081 --upstream-port 18082 \
        >"$work/demo.txt" 2>&1 &
    demo_pid=$!
    for _ in $(seq 1 60); do
        curl -sf -o /dev/null http://127.0.0.1:19090/readyz && break
        kill -0 "$demo_pid" 2>/dev/null || break
        sleep 1
    done
    token=$(curl -s 'http://127.0.0.1:18081/token?user=sato&amr=face' || true)
    status=$(curl -s -o /dev/null -w '%{http_code}' --resolve records.localhost:18080:127.0.0.1 \
        -H "Authorization: Bearer $token" http://records.localhost:18080/ || true)
    check "demo: /readyz on the management port" curl -sf -o /dev/null http://127.0.0.1:19090/readyz
    check "demo: sato opens the records app through the proxy ($status)" test "$status" = 200
    for _ in $(seq 1 10); do # the banner follows readiness
        grep -q '市民課' "$work/demo.txt" && break
        sleep 1
    done
    check "demo: banner in Japanese" grep -q '市民課' "$work/demo.txt"
    stop_demo
fi

echo "$passed passed, $failures failed"
[[ $failures == 0 ]]
