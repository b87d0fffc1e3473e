#!/usr/bin/env bash
# Build Asterisk 22 from Debian's source package and install it into a cache
# folder outside the clone. Reuses the install when it is already there.
#
#   PULT_ASTERISK_HOME   install prefix (default: ~/.cache/pult/asterisk-22)
#
# Steps (see shared notes "asterisk-from-debian-source"):
#   1. a deb-src entry for sid (binary packages stay bookworm's)
#   2. bookworm build dependencies + sound packages
#   3. dpkg-source -x (applies Debian's patches)
#   4. pjproject tarball made from the Xpjproject component
#   5. configure with the bundled pjproject, nothing downloaded
#   6. default menuselect selection, make, make install
set -euo pipefail

# This script's folder, absolute: the build changes directory before it needs prompts.sh.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${PULT_ASTERISK_HOME:-$HOME/.cache/pult/asterisk-22}"
WORK="${PREFIX}.build"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

say() { printf '\033[1m[asterisk-build]\033[0m %s\n' "$*"; }

# Debian's sound packages install voices as e.g. en_US_f_Allison and
# ru_RU_f_IvrvoiceRU; Asterisk looks for <datadir>/sounds/<lang>/.
link_sounds() {
  local data="$PREFIX/var/lib/asterisk"
  mkdir -p "$data"
  if [ -L "$data/sounds" ] || [ ! -d "$data/sounds" ]; then rm -f "$data/sounds"; mkdir -p "$data/sounds"; fi
  ln -sfn /usr/share/asterisk/sounds/en_US_f_Allison "$data/sounds/en"
  ln -sfn /usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU "$data/sounds/ru"
  rm -rf "$data/moh"
  ln -sfn /usr/share/asterisk/moh "$data/moh"
  # Pult's own prompts (espeak-ng): sounds/pult/, linked into each instance.
  bash "$HERE/prompts.sh" "$data/sounds/pult"
}

if [ -x "$PREFIX/sbin/asterisk" ] && [ -f "$PREFIX/.pult-build-ok" ]; then
  link_sounds
  say "already built: $PREFIX ($("$PREFIX/sbin/asterisk" -V))"
  exit 0
fi

apt_deps=(build-essential libedit-dev libjansson-dev libxml2-dev uuid-dev
  libsqlite3-dev libssl-dev libsrtp2-dev libcurl4-openssl-dev libspeexdsp-dev
  libopus-dev libogg-dev pkg-config bzip2 xz-utils dpkg-dev
  asterisk-core-sounds-en-wav asterisk-core-sounds-ru-wav asterisk-moh-opsound-wav sox)

missing=()
for p in "${apt_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

src_list=/etc/apt/sources.list.d/pult-sid-src.sources
need_update=0
if [ ! -f "$src_list" ]; then
  mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
  mirror="${mirror:-http://deb.debian.org/debian}"
  say "adding deb-src for sid from $mirror"
  $SUDO tee "$src_list" >/dev/null <<EOF
Types: deb-src
URIs: $mirror
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  need_update=1
fi
if [ "${#missing[@]}" -gt 0 ] || [ "$need_update" = 1 ]; then
  say "apt-get update"
  $SUDO apt-get update -qq || say "apt-get update reported errors (unreachable extra repositories are expected)"
fi
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing build dependencies: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$WORK"
cd "$WORK"
if ! ls asterisk_*.dsc >/dev/null 2>&1; then
  say "downloading Debian source package (sid)"
  apt-get source --download-only asterisk >/dev/null 2>&1 || {
    $SUDO apt-get update -qq || true
    apt-get source --download-only asterisk
  }
fi
dsc=$(ls asterisk_*.dsc | sort -V | tail -1)
SRC="$WORK/src"
if [ ! -f "$SRC/configure" ]; then
  rm -rf "$SRC"
  say "unpacking $dsc (Debian patches applied)"
  dpkg-source -x "$dsc" "$SRC" >/dev/null
fi
cd "$SRC"

# pjproject comes as a component of the source package.
pjver=$(sed -n 's/^export PJ_VERSION_MAJOR *:= *//p; s/^export PJ_VERSION_MINOR *:= *//p; s/^export PJ_VERSION_REV *:= *//p' Xpjproject/version.mak | paste -sd. | sed 's/\.$//')
cache="$WORK/externals"
mkdir -p "$cache"
tarball="$cache/pjproject-$pjver.tar.bz2"
if [ ! -f "$tarball" ]; then
  say "packing bundled pjproject $pjver"
  tmp=$(mktemp -d)
  cp -a Xpjproject "$tmp/pjproject-$pjver"
  tar -C "$tmp" -cjf "$tarball" "pjproject-$pjver"
  rm -rf "$tmp"
fi
md5sum "$tarball" | awk -v f="pjproject-$pjver.tar.bz2" '{print $1"  "f}' > "third-party/pjproject/pjproject-$pjver.tar.bz2.md5"

if [ ! -f config.status ] || [ ! -f menuselect.makeopts ]; then
  say "configure (about 30 s)"
  ./configure --with-pjproject-bundled --with-jansson-bundled=no --without-libjwt \
    --with-externals-cache="$cache" --disable-xmldoc --prefix="$PREFIX" >"$WORK/configure.log" 2>&1 \
    || { tail -40 "$WORK/configure.log"; exit 1; }
  make menuselect.makeopts >/dev/null
  # Default selection builds every module whose libraries are present; add the
  # opus/ogg formats when available and keep the sample-config installer off.
  menuselect/menuselect --enable format_ogg_opus menuselect.makeopts >/dev/null 2>&1 || true
fi

say "compiling (about 3-4 minutes on 2 cores)"
jobs=$(nproc)
make -j"$jobs" >"$WORK/make.log" 2>&1 || { tail -60 "$WORK/make.log"; exit 1; }
say "installing into $PREFIX"
make install >"$WORK/install.log" 2>&1 || { tail -40 "$WORK/install.log"; exit 1; }

link_sounds

"$PREFIX/sbin/asterisk" -V > "$PREFIX/.pult-build-ok"
say "done: $(cat "$PREFIX/.pult-build-ok") in $PREFIX"
