#!/usr/bin/env bash
# Set everything up, then do the main job: check the graph, show what it holds, and answer the first question.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
kg=.venv/bin/kg
$kg validate
$kg stats
$kg query models --format table
$kg render --output graph.html
echo "run.sh: open graph.html in a browser to explore the whole graph"
