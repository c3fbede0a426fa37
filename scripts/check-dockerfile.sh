#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine (none runs on the build machines):
#   1. the build context is what a clean clone has (tracked and new, not git-ignored files), less
#      what .dockerignore excludes; every COPY source must be in it;
#   2. each stage is replayed in a clean temporary directory standing for its WORKDIR: its COPYs
#      (from the context or an earlier stage) and its `npm …` RUN steps, run with this machine's
#      node and npm (other RUN steps, like creating /data, are listed, not run);
#   3. the last stage's files are started with its ENV and CMD, as an unprivileged user when run
#      as root (the image runs as USER node), on a free loopback port with a throwaway DATA_DIR,
#      once per ROLE: /healthz must answer 200 (and the Dockerfile's own HEALTHCHECK command must
#      pass), `/` must be HTML for ROLE=all and ROLE=web and refused for ROLE=worker, and SIGTERM
#      must stop it cleanly, embedded Postgres included.
# Usage: scripts/check-dockerfile.sh [Dockerfile]   (KEEP_CHECK_DIR=1 keeps the temporary directory)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="$(cd "$(dirname "${1:-$root/Dockerfile}")" && pwd)/$(basename "${1:-Dockerfile}")"
work="$(mktemp -d "${TMPDIR:-/tmp}/check-dockerfile.XXXXXX")"
chmod 755 "$work"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "${KEEP_CHECK_DIR:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "check-dockerfile: FAIL: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }
elapsed() { echo "   ($(( SECONDS - $1 )) s)"; }

# ---------------------------------------------------------------------------------------------
# The Dockerfile and .dockerignore, read by a small Node program: `plan` prints one instruction
# a line (fields separated by tabs), `context` filters paths (NUL-separated) through .dockerignore.
cat >"$work/dockerfile.mjs" <<'NODE'
import { readFileSync, existsSync } from "node:fs";

const [mode, file] = process.argv.slice(2);
const die = (message) => { console.error(`check-dockerfile: ${message}`); process.exit(2); };

function dockerignoreMatchers(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((pattern) => {
      if (pattern.startsWith("!")) die(`.dockerignore exceptions (${pattern}) are not supported by this check`);
      const clean = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
      let re = "";
      for (let i = 0; i < clean.length; i++) {
        const c = clean[i];
        if (c === "*" && clean[i + 1] === "*") { re += ".*"; i++; if (clean[i + 1] === "/") i++; }
        else if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
      }
      return new RegExp(`^${re}$`);
    });
}

if (mode === "context") {
  // A path is excluded when it, or a directory above it, matches a pattern (Docker's rule).
  const matchers = dockerignoreMatchers(file);
  const paths = readFileSync(0, "utf8").split("\0").filter(Boolean);
  const excluded = (p) => {
    const parts = p.split("/");
    return parts.some((_, i) => matchers.some((m) => m.test(parts.slice(0, i + 1).join("/"))));
  };
  process.stdout.write(paths.filter((p) => !excluded(p)).map((p) => p + "\0").join(""));
  process.exit(0);
}

// plan: logical lines (continuations joined, comments dropped), global ARGs substituted in FROM.
const raw = readFileSync(file, "utf8").split("\n");
const lines = [];
let current = null;
for (const line of raw) {
  const trimmed = line.trim();
  if (trimmed.startsWith("#") || (current === null && trimmed === "")) continue;
  const continued = /\\\s*$/.test(line);
  const body = continued ? line.replace(/\\\s*$/, "") : line;
  current = current === null ? body.trim() : `${current} ${body.trim()}`;
  if (!continued) { lines.push(current); current = null; }
}
if (current !== null) lines.push(current);

const args = {};
const substitute = (text, vars) =>
  text.replace(/\$\{(\w+)(:?[-+][^}]*)?\}|\$(\w+)/g, (_, a, mod, b) => {
    const name = a ?? b;
    if (mod && mod.replace(/^:/, "").startsWith("-") && vars[name] === undefined) return mod.replace(/^:?-/, "");
    return vars[name] ?? "";
  });
const words = (text) => text.trim().split(/\s+/).filter(Boolean);
const takeFlags = (text) => {
  const flags = {};
  let rest = text.trim();
  for (let m; (m = /^--([\w-]+)(?:=(\S+))?\s*/.exec(rest)); rest = rest.slice(m[0].length)) flags[m[1]] = m[2] ?? true;
  return { flags, rest };
};
const execForm = (text) => {
  const t = text.trim();
  if (!t.startsWith("[")) return ["/bin/sh", "-c", t];
  try { return JSON.parse(t); } catch { die(`not a JSON array: ${t}`); }
};
const emit = (...fields) => {
  for (const f of fields) if (/[\t\n]/.test(String(f)) || String(f) === "") die(`cannot represent ${JSON.stringify(f)}`);
  console.log(fields.join("\t"));
};

let stage = null;
let stages = 0;
for (const line of lines) {
  const [, keyword, rest = ""] = /^(\S+)\s*(.*)$/.exec(line);
  const instruction = keyword.toUpperCase();
  if (instruction === "ARG" && stage === null) {
    for (const word of words(rest)) { const [k, ...v] = word.split("="); args[k] = v.length ? v.join("=") : undefined; }
    continue;
  }
  switch (instruction) {
    case "FROM": {
      const { rest: spec } = takeFlags(rest);
      const [image, as, name] = words(spec);
      stage = as && as.toUpperCase() === "AS" ? name : String(stages);
      stages++;
      emit("FROM", stage, substitute(image, args));
      break;
    }
    case "WORKDIR": emit("WORKDIR", stage, rest.trim()); break;
    case "USER": emit("USER", stage, rest.trim()); break;
    case "EXPOSE": emit("EXPOSE", stage, ...words(rest)); break;
    case "ARG": emit("ARG", stage, rest.trim()); break;
    case "ENV": {
      // KEY=VALUE pairs (quotes allowed) or the old `ENV KEY value` form.
      const pairs = [];
      if (/^\w+\s/.test(rest.trim()) && !/^\w+=/.test(rest.trim())) {
        const [, k, v] = /^(\w+)\s+(.*)$/.exec(rest.trim());
        pairs.push([k, v]);
      } else {
        const re = /(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
        for (let m; (m = re.exec(rest)); ) pairs.push([m[1], m[2].replace(/^(["'])(.*)\1$/, "$2")]);
      }
      for (const [k, v] of pairs) emit("ENV", stage, k, v === "" ? "<empty>" : v);
      break;
    }
    case "COPY": {
      const { flags, rest: spec } = takeFlags(rest);
      for (const flag of Object.keys(flags)) if (!["from", "chown", "chmod", "link"].includes(flag)) die(`COPY --${flag} is not supported by this check`);
      const parts = spec.trim().startsWith("[") ? execForm(spec) : words(spec);
      if (parts.length < 2) die(`COPY needs a source and a destination: ${line}`);
      const dest = parts.pop();
      for (const source of parts) if (/[*?[]/.test(source)) die(`COPY wildcards are not supported by this check: ${source}`);
      emit("COPY", stage, flags.from ?? "-", dest, ...parts);
      break;
    }
    case "ADD": die(`ADD is not supported by this check (use COPY): ${line}`); break;
    case "RUN": {
      const { rest: command } = takeFlags(rest); // --mount=type=cache etc. change nothing here
      emit("RUN", stage, command.trim().startsWith("[") ? execForm(command).join(" ") : command.trim());
      break;
    }
    case "CMD": case "ENTRYPOINT": emit(instruction, stage, ...execForm(rest)); break;
    case "HEALTHCHECK": {
      const { flags, rest: spec } = takeFlags(rest);
      if (/^NONE$/i.test(spec.trim())) { emit("HEALTHCHECK", stage, "NONE"); break; }
      const [, cmd, command] = /^(\S+)\s+(.*)$/.exec(spec.trim()) ?? [];
      if (!cmd || cmd.toUpperCase() !== "CMD") die(`HEALTHCHECK without CMD: ${line}`);
      emit("HEALTHCHECK_FLAGS", stage, JSON.stringify(flags));
      emit("HEALTHCHECK", stage, ...execForm(command));
      break;
    }
    case "VOLUME": case "LABEL": case "STOPSIGNAL": case "SHELL": case "ONBUILD":
      emit(instruction, stage, rest.trim());
      break;
    default: die(`unknown instruction ${keyword}`);
  }
}
NODE
df_node() { node "$work/dockerfile.mjs" "$@"; }

echo "node $(node --version), npm $(npm --version), Dockerfile: $dockerfile"
start=$SECONDS

# ---------------------------------------------------------------------------------------------
step "build context: a clean clone's files less .dockerignore"
context="$work/context"
mkdir -p "$context"
(
  cd "$root"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
    [[ -e "$path" || -L "$path" ]] && printf '%s\0' "$path"
  done | df_node context "$root/.dockerignore" | xargs -0 -r cp -a --parents -t "$context"
)
echo "   $(find "$context" -type f | wc -l) files, $(du -sh "$context" | cut -f1)"

df_node plan "$dockerfile" >"$work/plan.tsv"
mapfile -t stage_names < <(awk -F'\t' '$1 == "FROM" { print $2 }' "$work/plan.tsv")
final_stage="${stage_names[-1]}"

step "COPY sources from the build context"
problems=0
while IFS=$'\t' read -r -a f; do
  [[ "${f[0]}" == COPY && "${f[2]}" == "-" ]] || continue
  for source in "${f[@]:4}"; do
    source="${source#./}"
    if [[ -e "$context/$source" ]]; then
      echo "   ok       $source"
    elif [[ -e "$root/$source" ]] && git -C "$root" check-ignore -q "$source"; then
      echo "   MISSING  $source (git-ignored: a clean clone does not have it)"; problems=$((problems + 1))
    elif [[ -e "$root/$source" ]]; then
      echo "   MISSING  $source (excluded by .dockerignore)"; problems=$((problems + 1))
    else
      echo "   MISSING  $source (not in the repository)"; problems=$((problems + 1))
    fi
  done
done <"$work/plan.tsv"
(( problems == 0 )) || fail "$problems COPY source(s) would not be in the build context"

# ---------------------------------------------------------------------------------------------
# Container paths map into a stage's directory through its WORKDIR (only paths under it).
declare -A stage_dir stage_workdir
host_path() { # stage, container path
  local dir="${stage_dir[$1]}" wd="${stage_workdir[$1]:-/}" p="$2"
  [[ "$p" == /* ]] || p="${wd%/}/$p"
  p="$(realpath -m "$p")"
  [[ "$p" == "$wd" || "$p" == "${wd%/}"/* ]] || fail "stage $1: $2 is outside its WORKDIR $wd; this check cannot place it"
  echo "$dir${p#"${wd%/}"}"
}

declare -A final_env
declare -a final_cmd=() final_entrypoint=() final_healthcheck=()
final_user="" final_expose="" healthcheck_flags=""
while IFS=$'\t' read -r -a f; do
  kind="${f[0]}" st="${f[1]}"
  case "$kind" in
    FROM)
      stage_dir[$st]="$work/stages/$st"
      mkdir -p "${stage_dir[$st]}"
      step "stage $st (FROM ${f[2]}), replayed in ${stage_dir[$st]}"
      ;;
    WORKDIR)
      stage_workdir[$st]="$(realpath -m "${f[2]}")"
      ;;
    COPY)
      from="${f[2]}" dest="${f[3]}" sources=("${f[@]:4}")
      [[ -n "${stage_workdir[$st]:-}" ]] || fail "stage $st: COPY before WORKDIR"
      target="$(host_path "$st" "$dest")"
      for source in "${sources[@]}"; do
        if [[ "$from" == "-" ]]; then
          src="$context/${source#./}"
        else
          [[ -n "${stage_dir[$from]:-}" ]] || fail "stage $st: COPY --from=$from names no earlier stage"
          src="$(host_path "$from" "$source")"
        fi
        [[ -e "$src" ]] || fail "stage $st: COPY ${from/#-/context}:$source does not exist"
        if [[ -d "$src" ]]; then
          mkdir -p "$target"; cp -a "$src/." "$target/"
        elif [[ "$dest" == */ || ${#sources[@]} -gt 1 ]]; then
          mkdir -p "$target"; cp -a "$src" "$target/"
        else
          mkdir -p "$(dirname "$target")"; cp -a "$src" "$target"
        fi
      done
      if [[ "$from" == "-" ]]; then echo "   COPY ${sources[*]} -> $dest"; else echo "   COPY --from=$from ${sources[*]} -> $dest"; fi
      ;;
    RUN)
      command="${f[2]}"
      if [[ "$command" == npm\ * ]]; then
        echo "   RUN $command"
        t_run=$SECONDS
        (cd "${stage_dir[$st]}" && bash -c "$command") >"$work/run.log" 2>&1 || {
          tail -n 40 "$work/run.log"; fail "stage $st: RUN $command"; }
        grep -v -E '^npm warn (Unknown user config|install-scripts)' "$work/run.log" | sed -n '/./p' | tail -n 3 | sed 's/^/     /'
        elapsed "$t_run"
      else
        echo "   RUN $command   (not replayed: it prepares the image's file system)"
      fi
      ;;
    ENV) [[ "$st" == "$final_stage" ]] && { v="${f[3]}"; [[ "$v" == "<empty>" ]] && v=""; final_env[${f[2]}]="$v"; } ;;
    USER) [[ "$st" == "$final_stage" ]] && final_user="${f[2]}" ;;
    EXPOSE) [[ "$st" == "$final_stage" ]] && final_expose="${f[*]:2}" ;;
    CMD) [[ "$st" == "$final_stage" ]] && final_cmd=("${f[@]:2}") ;;
    ENTRYPOINT) [[ "$st" == "$final_stage" ]] && final_entrypoint=("${f[@]:2}") ;;
    HEALTHCHECK_FLAGS) [[ "$st" == "$final_stage" ]] && healthcheck_flags="${f[2]}" ;;
    HEALTHCHECK) [[ "$st" == "$final_stage" ]] && final_healthcheck=("${f[@]:2}") ;;
  esac
done <"$work/plan.tsv"

# ---------------------------------------------------------------------------------------------
step "final stage $final_stage: what the image holds"
app="${stage_dir[$final_stage]}"
(( ${#final_cmd[@]} + ${#final_entrypoint[@]} > 0 )) || fail "the final stage has no CMD"
[[ -n "$final_user" && "$final_user" != root && "$final_user" != 0 ]] || fail "the final stage runs as root (no USER)"
(( ${#final_healthcheck[@]} > 0 )) && [[ "${final_healthcheck[0]}" != NONE ]] || fail "the final stage has no HEALTHCHECK"
[[ -z "$final_expose" || "${final_expose%%/*}" == "${final_env[PORT]:-}" ]] \
  || fail "EXPOSE $final_expose differs from ENV PORT=${final_env[PORT]:-unset}"
for required in build/index.js public/build node_modules/tsx package.json; do
  [[ -e "$app/$required" ]] || fail "the final stage lacks $required"
done
# Only production dependencies: a dev dependency may be present only when a production one needs it.
dev_present="$(cd "$app" && node -e '
  const { existsSync } = require("node:fs");
  const pkg = require("./package.json");
  console.log(Object.keys(pkg.devDependencies ?? {}).filter((n) => existsSync(`node_modules/${n}`)).join(" "));')"
for name in $dev_present; do
  [[ -n "$(cd "$app" && npm ls "$name" --omit=dev --parseable 2>/dev/null)" ]] \
    || fail "dev dependency $name is in the final stage but no production dependency needs it"
  echo "   $name: a dev dependency, present because production dependencies need it (npm ls --omit=dev)"
done
for name in @remix-run/dev vitest; do
  [[ ! -e "$app/node_modules/$name" ]] || fail "$name (build/test tooling) is in the final stage"
done
echo "   user $final_user, PORT ${final_env[PORT]:-unset}, ROLE ${final_env[ROLE]:-unset}, NODE_ENV ${final_env[NODE_ENV]:-unset}, EXPOSE ${final_expose:-none}"
packages=("$app"/node_modules/*/package.json "$app"/node_modules/@*/*/package.json)
echo "   node_modules $(du -sh "$app/node_modules" | cut -f1) (${#packages[@]} top-level packages), build $(du -sh "$app/build" | cut -f1), public $(du -sh "$app/public" | cut -f1)"
echo "   HEALTHCHECK $healthcheck_flags"
for key in APP_PASSWORD AUTH_DISABLED SESSION_SECRET DATABASE_URL; do
  [[ -z "${final_env[$key]+set}" ]] || fail "the image sets $key; that is the operator's decision"
done

# ---------------------------------------------------------------------------------------------
# The image runs as USER $final_user with the code owned by root and only DATA_DIR writable. As
# root here, run as an unprivileged user the same way (nobody, unless that user exists here).
run_as=()
if [[ "$(id -u)" == 0 ]]; then
  user="$final_user"; id "$user" >/dev/null 2>&1 || user=nobody
  run_as=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups)
  run_owner="$(id -u "$user"):$(id -g "$user")"
  echo "   started as $user (uid $(id -u "$user")), the code read-only to it"
else
  run_owner="$(id -u):$(id -g)"
  echo "   started as $(id -un) (not root: cannot switch users)"
fi
data="$work/data" home="$work/home"
mkdir -p "$data" "$home"
chown "$run_owner" "$data" "$home"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
password="check-$(node -e 'console.log(require("crypto").randomBytes(9).toString("base64url"))')"

run_final() { # port, role, command... (replaces the calling (sub)shell: call it in one)
  local port="$1" role="$2"; shift 2
  local -a env_args=(PATH="$PATH" HOME="$home" TMPDIR=/tmp)
  for key in "${!final_env[@]}"; do env_args+=("$key=${final_env[$key]}"); done
  # Only loopback, a free port, a throwaway data directory; the password is set so the check
  # passes whether or not production refuses to start without one.
  env_args+=(HOST=127.0.0.1 PORT="$port" DATA_DIR="$data" ROLE="$role" APP_PASSWORD="$password" AUTH_DISABLED=1)
  cd "$app" && exec env -i "${env_args[@]}" "${run_as[@]}" "$@"
}

check_role() { # role
  local role="$1" port t0 status body code
  port="$(free_port)"
  step "start the final stage: ROLE=$role on 127.0.0.1:$port"
  t0=$SECONDS
  (run_final "$port" "$role" "${final_entrypoint[@]}" "${final_cmd[@]}") >"$work/server-$role.log" 2>&1 &
  server_pid=$!
  status=""
  for _ in $(seq 1 900); do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 40 "$work/server-$role.log"; fail "ROLE=$role exited before /healthz answered"; }
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true)"
    [[ "$status" == 200 ]] && break
    sleep 0.2
  done
  [[ "$status" == 200 ]] || { tail -n 40 "$work/server-$role.log"; fail "ROLE=$role: /healthz answered ${status:-nothing} after 180 s"; }
  echo "   GET /healthz -> 200 $(curl -s --max-time 5 "http://127.0.0.1:$port/healthz") after $(( SECONDS - t0 )) s"

  (run_final "$port" "$role" "${final_healthcheck[@]}") >"$work/healthcheck.log" 2>&1 \
    || { cat "$work/healthcheck.log"; fail "ROLE=$role: the Dockerfile's HEALTHCHECK command failed"; }
  echo "   HEALTHCHECK command (as the image runs it, with PORT=$port) -> exit 0"

  body="$work/index-$role.html"
  # `/` redirects to the catalog; curl sends the header again only to the same host and port.
  code="$(curl -s -L --max-redirs 3 -o "$body" -w '%{http_code} %{content_type} %{url_effective}' --max-time 30 \
    -H "Authorization: Bearer $password" "http://127.0.0.1:$port/")"
  if [[ "$role" == worker ]]; then
    [[ "${code%% *}" == 404 ]] || fail "ROLE=worker: GET / answered $code; a worker serves /healthz and /metrics only"
    echo "   GET / -> $code (a worker serves /healthz and /metrics only)"
  else
    [[ "${code%% *}" == 200 && "$code" == *text/html* ]] && grep -qi '<html' "$body" \
      || { head -c 400 "$body"; fail "ROLE=$role: GET / answered $code, not an HTML page"; }
    echo "   GET / (Authorization: Bearer …) -> ${code%% *} ${code#* } ($(wc -c <"$body") bytes, $(grep -o '<title>[^<]*</title>' "$body" | head -n 1))"
    echo "   GET / without credentials -> $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 30 "http://127.0.0.1:$port/") (for information)"
  fi

  kill -TERM "$server_pid"
  local exit_code=0 waited=0
  while kill -0 "$server_pid" 2>/dev/null && (( waited < 300 )); do sleep 0.1; waited=$((waited + 1)); done
  kill -0 "$server_pid" 2>/dev/null && fail "ROLE=$role did not stop within 30 s of SIGTERM"
  wait "$server_pid" || exit_code=$?
  server_pid=""
  (( exit_code == 0 )) || { tail -n 20 "$work/server-$role.log"; fail "ROLE=$role exited with $exit_code after SIGTERM"; }
  [[ ! -e "$data/postgres/postmaster.pid" ]] || fail "ROLE=$role left embedded Postgres running"
  echo "   SIGTERM -> exit 0 after $((waited / 10)).$((waited % 10)) s, embedded Postgres stopped"
  elapsed "$t0"
}

image_major="$(awk -F'\t' -v s="$final_stage" '$1 == "FROM" && $2 == s { print $3 }' "$work/plan.tsv" | sed -E 's/^[^:]*:([0-9]+).*/\1/')"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$image_major" == "$node_major" ]] || echo "   note: the image runs Node $image_major; this replay runs Node $node_major"

check_role "${final_env[ROLE]:-all}"
check_role web
check_role worker

echo
echo "check-dockerfile: OK ($(( SECONDS - start )) s)"
