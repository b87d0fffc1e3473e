#!/usr/bin/env bash
# Pult's local simulator: carrier, callers, mobile and desk phones (templates in fixtures/sim-asterisk/).
# Usage: sim.sh <start|stop|status|cli [cmd]|wait>; see instance.sh.
exec bash "$(dirname "${BASH_SOURCE[0]}")/instance.sh" sim "$@"
