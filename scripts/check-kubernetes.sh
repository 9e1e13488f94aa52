#!/usr/bin/env bash
# Checks deploy/kubernetes offline: no cluster, nothing applied. For every overlay:
#   1. it renders with `kubectl kustomize` (in a copy, with placeholder secret files: the operator's own are never read);
#   2. every rendered object validates against the Kubernetes and Prometheus Operator schemas, every `job` a rule
#      selects is produced by a rendered ServiceMonitor or Probe, no Secret carries a value from the repository,
#      and the kube-prometheus-stack values pick the platform's objects (deploy/kubernetes/validate, pinned by its lock file);
#   3. the PrometheusRule specs pass `promtool check rules` and the promtool unit tests of monitoring/prometheus/tests;
#   4. the Alertmanager config Secret passes `amtool check-config`, its templates included.
# The development overlay is also rendered from the files its write-secrets.sh writes.
# Needs kubectl, node/npm, promtool and amtool (scripts/start.sh --install-only installs them).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

for tool in kubectl node npm promtool amtool; do
  command -v "$tool" >/dev/null || { echo "check-kubernetes: '$tool' is not installed (scripts/start.sh --install-only)" >&2; exit 1; }
done

validate="$repo/deploy/kubernetes/validate"
(cd "$validate" && npm ci --no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The tree to render, without the validator's node_modules and without any secret file an operator wrote here.
copy_tree() {
  mkdir -p "$1"
  tar -C deploy/kubernetes --exclude=validate --exclude='overlays/*/secrets' -cf - . | tar -C "$1" -xf -
}

failed=0
for overlay_dir in deploy/kubernetes/overlays/*/; do
  overlay="$(basename "$overlay_dir")"
  out="$work/$overlay"
  copy_tree "$out/kubernetes"
  overlay_copy="$out/kubernetes/overlays/$overlay"

  # Every secret file the overlay reads, holding a placeholder that names it.
  grep -oE 'secrets/[A-Za-z0-9_./-]+' "$overlay_copy/kustomization.yaml" | sort -u | while read -r file; do
    mkdir -p "$(dirname "$overlay_copy/$file")"
    printf 'placeholder for %s/%s' "$overlay" "$file" >"$overlay_copy/$file"
  done

  echo "== $overlay"
  if ! kubectl kustomize "$overlay_copy" >"$out/rendered.yaml"; then
    echo "FAIL $overlay: kubectl kustomize" >&2; failed=1; continue
  fi
  node "$validate/check-rendered.mjs" "$out/rendered.yaml" "$overlay_copy/secrets" monitoring/prometheus/tests \
    deploy/kubernetes/monitoring/kube-prometheus-stack.values.yaml "$out/extracted" || { echo "FAIL $overlay: rendered objects" >&2; failed=1; }

  promtool check rules "$out"/extracted/rules/*.yml >"$out/promtool-check.log" 2>&1 \
    || { cat "$out/promtool-check.log" >&2; echo "FAIL $overlay: promtool check rules" >&2; failed=1; }
  (cd "$out/extracted/tests" && promtool test rules ./*.test.yml) >"$out/promtool-test.log" 2>&1 \
    || { cat "$out/promtool-test.log" >&2; echo "FAIL $overlay: promtool test rules" >&2; failed=1; }
  if amtool check-config "$out/extracted/alertmanager/alertmanager.yaml" >"$out/amtool.log" 2>&1 \
    && grep -qE -- '- [1-9][0-9]* templates' "$out/amtool.log"; then :; else
    cat "$out/amtool.log" >&2; echo "FAIL $overlay: amtool check-config (or no template loaded)" >&2; failed=1
  fi
done

# The documented way to write the development secrets covers every file the overlay reads.
dev="$work/write-secrets/kubernetes"
copy_tree "$dev"
bash "$dev/overlays/development/write-secrets.sh" >/dev/null
kubectl kustomize "$dev/overlays/development" >/dev/null || { echo "FAIL development: does not render from write-secrets.sh's files" >&2; failed=1; }

if [[ $failed -ne 0 ]]; then
  echo "check-kubernetes: FAILED" >&2
  exit 1
fi
echo "check-kubernetes: every overlay renders and passes"
