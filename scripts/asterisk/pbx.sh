#!/usr/bin/env bash
# Pult's local PBX (templates in dialplan/).
# Usage: pbx.sh <start|stop|status|cli [cmd]|wait>; see instance.sh.
exec bash "$(dirname "${BASH_SOURCE[0]}")/instance.sh" pbx "$@"
