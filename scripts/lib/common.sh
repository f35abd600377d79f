# Shared by scripts/run.sh and scripts/test.sh: install missing Debian packages, configure and build.
# Sourced, not executed. Every step is idempotent: a second run only rebuilds what changed.

SIMDEV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$SIMDEV_ROOT/build}"

# Debian 12 packages (shared/spec/stack.md §1) plus the compiler toolchain a fresh machine may lack.
SIMDEV_PACKAGES=(
  g++ cmake ninja-build pkg-config
  libboost-dev libspdlog-dev libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libssl-dev openssl libmosquitto-dev mosquitto mosquitto-clients
  socat hyperfine python3-serial curl
)

say() { printf '==> %s\n' "$*" >&2; }

install_missing_packages() {
  local missing=()
  local p
  for p in "${SIMDEV_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  say "installing missing packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    say "configuring $BUILD_DIR"
    cmake -S "$SIMDEV_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >&2
  fi
}

build() {
  say "building ${*:-everything} in $BUILD_DIR"
  ninja -C "$BUILD_DIR" "$@" >&2
}
