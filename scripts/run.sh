#!/usr/bin/env bash
# Command 1: install what is missing, build simdev, and start a WizFi360 with the default configuration.
# The serial port appears as ./wizfi360 in the directory you run this from. Extra arguments go to simdev
# (e.g. scripts/run.sh --device wiz550s2e). Stop with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

install_missing_packages
configure
build simdev

args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(--device wizfi360)
name=wizfi360
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --device) name="${args[$((i + 1))]:-$name}" ;;
  esac
done
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --name) name="${args[$((i + 1))]:-$name}" ;;
  esac
done

cat >&2 <<MSG

simdev is starting. Its serial port is the pty linked as:  $PWD/$name
(the SIMDEV READY line below also names the /dev/pts path). 115200 8N1, send lines ending in \r\n.

Talk to it from another terminal, for example:
  /usr/bin/python3 -c "import serial; s = serial.Serial('$PWD/$name', 115200, timeout=1); s.write(b'AT\r\n'); print(s.read(64))"
      -> b'AT\r\n\r\nOK\r\n'   (WizFi360 echoes commands; the WIZ550S2E starts silently in data mode)
  picocom -b 115200 --omap crcrlf $PWD/$name      (apt-get install picocom; exit with Ctrl-A Ctrl-X)

Press Ctrl-C here to stop simdev (the link is removed on exit).

MSG
exec "$BUILD_DIR/simdev" "${args[@]}"
