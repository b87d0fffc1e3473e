#!/usr/bin/env bash
# Pult's own Russian prompts (the entry menu, reminder calls to executors:
# words Asterisk's ru sound set does not have), spoken by
# espeak-ng and converted with sox to what Asterisk plays without
# transcoding (8 kHz, mono, 16-bit WAV). Installed as <sounds>/pult/<name>.wav
# and played as sound:pult/<name> (any language falls back to it).
#
#   scripts/asterisk/prompts.sh [<folder>]   default: the build's sounds/pult
#
# On a production PBX: scripts/asterisk/prompts.sh /var/lib/asterisk/sounds/pult
# Regenerated only when the text of a prompt changes (a .txt beside each).
set -euo pipefail

PREFIX="${PULT_ASTERISK_HOME:-$HOME/.cache/pult/asterisk-22}"
DIR="${1:-$PREFIX/var/lib/asterisk/sounds/pult}"
VOICE="${PULT_PROMPT_VOICE:-ru}"

if ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null; then
  echo "[prompts] espeak-ng or sox missing: Pult's prompts not made (apt-get install espeak-ng sox)" >&2
  exit 0
fi

mkdir -p "$DIR"
while IFS='|' read -r name text; do
  [ -n "$name" ] || continue
  if [ -f "$DIR/$name.wav" ] && [ "$(cat "$DIR/$name.txt" 2>/dev/null)" = "$text" ]; then continue; fi
  tmp="$(mktemp --suffix=.wav)"
  espeak-ng -v "$VOICE" -s 135 -w "$tmp" "$text"
  sox "$tmp" -r 8000 -c 1 -b 16 "$DIR/$name.wav" gain -n -1
  rm -f "$tmp"
  printf '%s' "$text" >"$DIR/$name.txt"
  echo "[prompts] $name: $text"
done <<'PROMPTS'
entry-menu|Если у вас авария, нажмите один. Плановая заявка или вопрос, нажмите два.
emergency-request|Аварийная заявка.
address|Адрес:
request-number|номер
house|дом
flat|квартира
press-1-to-accept|Нажмите 1, чтобы принять заявку.
request-accepted|Заявка принята в работу. Спасибо.
PROMPTS
