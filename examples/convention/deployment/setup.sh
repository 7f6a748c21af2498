#!/bin/bash
# The convention layout's main script: runs first, from /opt/deployment.
set -euo pipefail
mkdir -p /var/www/example
cp -r /opt/deployment/www/. /var/www/example/
