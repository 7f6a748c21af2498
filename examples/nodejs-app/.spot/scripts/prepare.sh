#!/bin/bash
# Runs as root on the instance before the service starts.
set -euo pipefail
test -f /opt/app/server.js
node --version
