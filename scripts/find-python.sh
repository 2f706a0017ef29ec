#!/usr/bin/env bash
# Print the path of a working Python interpreter of version $1 (for example 3.10).
# Looks on PATH first, then in the usual pyenv and system locations.
set -u
v="$1"
works() { "$1" -c "import sys; sys.exit(0 if sys.version.startswith('$v') else 1)" >/dev/null 2>&1; }
if p=$(command -v "python$v" 2>/dev/null) && works "$p"; then echo "$p"; exit 0; fi
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/python"$v" \
         /root/.pyenv/versions/"$v".*/bin/python"$v" \
         /usr/local/bin/python"$v" /usr/bin/python"$v"; do
  if [ -x "$p" ] && works "$p"; then echo "$p"; exit 0; fi
done
echo "error: Python $v not found; install it or set PY${v/./}=/path/to/python$v" >&2
exit 1
