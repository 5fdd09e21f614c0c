#!/usr/bin/env bash
# Set up what running kg needs, then do the main job: check the graph, say in a few lines what it holds, draw it.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh --run
kg=.venv/bin/kg
$kg validate
$kg sparql --format table "
SELECT (COUNT(DISTINCT ?e) AS ?enterprises) (COUNT(DISTINCT ?v) AS ?events) (COUNT(DISTINCT ?f) AS ?figures)
       (COUNT(DISTINCT ?s) AS ?sources) WHERE {
  { ?e a sce:Enterprise } UNION { ?v a sce:MarketEvent } UNION { ?f a sce:Figure } UNION { ?s schema:url ?url }
}"
$kg sparql --format table "
SELECT ?model ?chinese (COUNT(DISTINCT ?enterprise) AS ?enterprises) WHERE {
  ?model a sce:SocialCommerceModel ; rdfs:label ?english , ?chinese .
  FILTER (langMatches(lang(?english), 'en') && langMatches(lang(?chinese), 'zh'))
  OPTIONAL { ?model sce:representedBy ?enterprise }
} GROUP BY ?model ?chinese ORDER BY ?model"
$kg render --output graph.html
cat <<'DONE'
Next: open graph.html in a browser (the whole graph, offline), or run
.venv/bin/kg serve and open http://127.0.0.1:8000/ (home page, search, timeline,
query page). ./test.sh runs every test.
DONE
