#!/usr/bin/env bash
# Make a self-signed TLS certificate for Pult's HTTPS and the PBX's WSS.
#
#   scripts/tls-selfsigned.sh <dir> [name-or-address ...]
#
# Writes <dir>/pult.crt and <dir>/pult.key (mode 600) valid for 825 days, with
# subjectAltName localhost and 127.0.0.1 plus every extra name or address
# given (e.g. pult.example.lan 192.0.2.10), and prints the certificate's SPKI
# hash: the value Chromium's --ignore-certificate-errors-spki-list takes, and
# what to compare when a browser shows the certificate. Use it for tests and a
# LAN trial; browsers warn about it until it is trusted (import pult.crt into
# the operators' browsers or the domain's certificate store). An existing pair
# in <dir> is replaced.
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
command -v openssl >/dev/null || { echo "openssl is needed (apt-get install openssl)" >&2; exit 1; }
DIR="$1"
shift
mkdir -p "$DIR"

san="DNS:localhost,IP:127.0.0.1"
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then
    san="$san,IP:$name"
  elif [[ "$name" =~ ^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
    san="$san,DNS:$name"
  else
    echo "not a host name or address: $name" >&2
    exit 2
  fi
done
cn="${1:-localhost}"

(
  umask 077
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 825 \
    -subj "/O=Pult/CN=$cn" -addext "subjectAltName=$san" \
    -addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$DIR/pult.key" -out "$DIR/pult.crt" 2>/dev/null
)
chmod 644 "$DIR/pult.crt"
spki="$(openssl x509 -in "$DIR/pult.crt" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
echo "certificate: $DIR/pult.crt"
echo "key:         $DIR/pult.key"
echo "names:       $san"
echo "spki:        $spki"
