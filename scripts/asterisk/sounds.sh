#!/usr/bin/env bash
# Pult's own prompts (those Asterisk's ru sound set has no words for), spoken
# by espeak-ng and converted with sox to what Asterisk plays without
# transcoding surprises: 8 kHz, mono, 16-bit WAV.
#
#   sounds.sh <dir>     writes <dir>/entry-menu.wav …
#
# Asterisk finds a sound "pult/entry-menu" in <datadir>/sounds/<lang>/pult/
# and then in <datadir>/sounds/pult/, so on a production PBX run e.g.
#   scripts/asterisk/sounds.sh /var/lib/asterisk/sounds/pult
# The test rig's PBX gets them at every start (instance.sh: build_data_dir).
set -euo pipefail

dir="${1:?usage: sounds.sh <dir>}"
command -v espeak-ng >/dev/null || { echo "sounds.sh: espeak-ng is not installed (apt-get install espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sounds.sh: sox is not installed (apt-get install sox)" >&2; exit 1; }
mkdir -p "$dir"

say_to() {
  # say_to <name> <Russian text>
  local name="$1" text="$2" tmp
  tmp="$(mktemp --suffix=.wav)"
  espeak-ng -v ru -s 140 -w "$tmp" "$text"
  sox -q "$tmp" -r 8000 -c 1 -b 16 "$dir/$name.wav" gain -n -3
  rm -f "$tmp"
}

# The entry menu's default prompt (domain/entry-menu.ts: DEFAULT_ENTRY_PROMPT).
say_to entry-menu "Если у вас авария, нажмите один. Плановая заявка или вопрос, нажмите два."
