#!/bin/bash
set -euo pipefail
echo "app files:"
ls -l /opt/app
