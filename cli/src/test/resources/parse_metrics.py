"""Parses Prometheus' text format from stdin with the Prometheus project's own Python parser
(prometheus_client) and prints every sample as a line of JSON: {"name", "labels", "value"}.
Exits non-zero when the text does not parse."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        print(json.dumps({"name": sample.name, "labels": sample.labels, "value": sample.value,
                          "type": family.type}))
