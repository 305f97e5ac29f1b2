#!/usr/bin/env bash
# Runs the whole wizmesh system on this machine, each service as its own process.
#
#   ./run.sh          build what is stale, start the devstack (embedded PostgreSQL, AMQP broker and
#                     Redis, or the real ones DEVSTACK_POSTGRES_URL, DEVSTACK_AMQP_URI and
#                     DEVSTACK_REDIS_URL name), then every service; wait until each is ready,
#                     print where they run; Ctrl-C stops them all, in reverse order, the devstack last
#   ./run.sh --scale product-svc=3   the same, with 3 instances of product-svc (any domain service;
#                     repeat the flag for more): instance N listens on the ports + 100 × (N - 1)
#   ./run.sh status   the table of what runs where
#   ./run.sh stop     stop a system started by another ./run.sh
#   ./run.sh demo     a guided walk through the API of a running system, via the gateway, printing
#                     each call as the curl command that does the same
#   ./run.sh reset    delete the devstack's data (var/devstack: every database) while nothing runs
#
# Logs go to var/log/<app>.log. Ports come from config/<app>.yml (all overridable by env vars).
# WIZMESH_RUN_DIR and WIZMESH_LOG_DIR move the pid files and logs (the end-to-end test uses its own);
# WIZMESH_SKIP_BUILD=1 skips the staleness check and build.
# The devstack is described in docs/devstack.md.
set -euo pipefail
cd "$(dirname "$0")"

# start order: the registry first (everyone registers there), the gateway last (it routes to the rest)
APPS=(registry-server user-svc product-svc order-svc cron-svc gateway)
declare -A HTTP_PORT=([registry-server]=${REGISTRY_HTTP_PORT:-8761} [gateway]=${GATEWAY_HTTP_PORT:-8080}
  [user-svc]=${USER_SVC_HTTP_PORT:-8110} [product-svc]=${PRODUCT_SVC_HTTP_PORT:-8120}
  [order-svc]=${ORDER_SVC_HTTP_PORT:-8130} [cron-svc]=${CRON_SVC_HTTP_PORT:-8140})
declare -A ADMIN_PORT=([registry-server]=${REGISTRY_ADMIN_PORT:-8762} [gateway]=${GATEWAY_ADMIN_PORT:-8081}
  [user-svc]=${USER_SVC_ADMIN_PORT:-8111} [product-svc]=${PRODUCT_SVC_ADMIN_PORT:-8121}
  [order-svc]=${ORDER_SVC_ADMIN_PORT:-8131} [cron-svc]=${CRON_SVC_ADMIN_PORT:-8141})
SETSID=$(command -v setsid || true)
RUN_DIR=${WIZMESH_RUN_DIR:-var/run}
LOG_DIR=${WIZMESH_LOG_DIR:-var/log}
# apps that may run as several instances (--scale), and the prefix of their port variables
declare -A PORT_VAR=([user-svc]=USER_SVC [product-svc]=PRODUCT_SVC [order-svc]=ORDER_SVC [cron-svc]=CRON_SVC)
declare -A GRPC_PORT=([user-svc]=${USER_SVC_GRPC_PORT:-9110} [product-svc]=${PRODUCT_SVC_GRPC_PORT:-9120})
declare -A SCALE=()
# the devstack's directory: PostgreSQL's data (postgres/), Redis's pid file (redis/) and the env file
# it writes once ready
export DEVSTACK_DIR=${DEVSTACK_DIR:-var/devstack}
DEVSTACK_ENV=$DEVSTACK_DIR/env

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }

# GET a path on 127.0.0.1:port with bash's /dev/tcp (no curl needed); prints the status code
http_status() {
  local port=$1 path=$2 line
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || { echo 000; return; }
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
  IFS=' ' read -r _ line _ <&3 || line=000
  exec 3<&- 3>&-
  echo "${line:-000}"
}

pid_of() { [ -f "$RUN_DIR/$1.pid" ] && cat "$RUN_DIR/$1.pid" || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

build_if_stale() {
  [ "${WIZMESH_SKIP_BUILD:-}" = 1 ] && return 0
  local stale=0 app
  for app in devstack "${APPS[@]}"; do
    local jar="$app/target/$app.jar"
    if [ ! -f "$jar" ] || [ -n "$(find pom.xml shared "$app" -newer "$jar" \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -print -quit)" ]; then
      stale=1
    fi
  done
  if [ $stale = 1 ]; then
    say "building (mvn -q -DskipTests package) ..."
    mvn -B -q -DskipTests package
  fi
}

# An instance is the app's name, or <app>-<n> for the n-th instance (n >= 2) of a scaled app.
app_of() { local i=$1; [[ $i =~ ^(.*)-([0-9]+)$ ]] && [ -n "${PORT_VAR[${BASH_REMATCH[1]}]:-}" ] && echo "${BASH_REMATCH[1]}" || echo "$i"; }
number_of() { local i=$1; [[ $i =~ -([0-9]+)$ ]] && [ "$(app_of "$i")" != "$i" ] && echo "${BASH_REMATCH[1]}" || echo 1; }
http_port_of() { echo $(( ${HTTP_PORT[$(app_of "$1")]} + 100 * ($(number_of "$1") - 1) )); }
admin_port_of() { echo $(( ${ADMIN_PORT[$(app_of "$1")]} + 100 * ($(number_of "$1") - 1) )); }

# every instance to run, in start order: the registry first, the gateway last
instances() {
  local app n
  for app in "${APPS[@]}"; do
    echo "$app"
    for ((n = 2; n <= ${SCALE[$app]:-1}; n++)); do echo "$app-$n"; done
  done
}

# the instances that have a pid file, in start order (for stop and status from another shell)
recorded_instances() {
  local i
  for i in $(instances) $(ls "$RUN_DIR" 2>/dev/null | sed -n 's/\.pid$//p' | grep -E -- '-[0-9]+$' | sort -t- -k3n); do
    [ "$i" = devstack ] || echo "$i"
  done | awk '!seen[$0]++'
}

start_app() {
  local instance=$1 app n
  app=$(app_of "$instance"); n=$(number_of "$instance")
  if alive "$instance"; then say "$instance already running (pid $(pid_of "$instance"))"; return; fi
  local env=()
  if [ "$n" -gt 1 ]; then
    local var=${PORT_VAR[$app]}
    env+=("${var}_HTTP_PORT=$(http_port_of "$instance")" "${var}_ADMIN_PORT=$(admin_port_of "$instance")")
    [ -n "${GRPC_PORT[$app]:-}" ] && env+=("${var}_GRPC_PORT=$(( ${GRPC_PORT[$app]} + 100 * (n - 1) ))")
  fi
  # a session of its own: Ctrl-C reaches this script only, which then stops the apps in reverse order
  env "${env[@]}" $SETSID java ${JAVA_OPTS:-} -jar "$app/target/$app.jar" server "config/$app.yml" >"$LOG_DIR/$instance.log" 2>&1 &
  echo $! >"$RUN_DIR/$instance.pid"
  say "starting $instance (pid $!) ..."
}

# The devstack first: it provides PostgreSQL, which user-svc, product-svc and order-svc need at start-up,
# the AMQP broker (AMQP_URI) and Redis (REDIS_URL).
# Its JVM runs C1 only by default: the embedded broker then starts in about half the time, and
# a laptop's broker needs no peak throughput (DEVSTACK_JAVA_OPTS= gives the JVM's defaults back).
start_devstack() {
  if alive devstack; then say "devstack already running (pid $(pid_of devstack))"; return; fi
  rm -f "$DEVSTACK_ENV" # left behind only by a devstack that was killed; its values may be stale
  $SETSID java ${DEVSTACK_JAVA_OPTS--XX:TieredStopAtLevel=1} -jar devstack/target/devstack.jar >"$LOG_DIR/devstack.log" 2>&1 &
  echo $! >"$RUN_DIR/devstack.pid"
  local what=("embedded PostgreSQL (data in $DEVSTACK_DIR/postgres)")
  [ -n "${DEVSTACK_POSTGRES_URL:-}" ] && what=("the PostgreSQL DEVSTACK_POSTGRES_URL names")
  if [ -n "${DEVSTACK_AMQP_URI:-}" ]; then what+=("the AMQP broker DEVSTACK_AMQP_URI names"); else what+=("embedded AMQP broker"); fi
  if [ -n "${DEVSTACK_REDIS_URL:-}" ]; then what+=("the Redis DEVSTACK_REDIS_URL names"); else what+=("embedded Redis"); fi
  say "starting devstack (pid $!): ${what[0]}, ${what[1]}, ${what[2]} ..."
}

# a URL without its user and password, for the table and the progress lines
without_credentials() { echo "${1:-}" | sed -E 's#//[^@/]*@#//#'; }

# Ready when its env file exists (written once PostgreSQL, the broker and Redis accept connections) and
# PostgreSQL's port answers; then its values (DB_HOST, DB_PORT, DB_OWNER_USER, DB_OWNER_PASSWORD,
# AMQP_URI, REDIS_URL) are exported to the apps.
await_devstack() {
  local deadline=$((SECONDS + 120)) # the first start unpacks PostgreSQL and runs initdb
  until [ -f "$DEVSTACK_ENV" ] && (set -a; . "$DEVSTACK_ENV"; exec 3<>"/dev/tcp/$DB_HOST/$DB_PORT") 2>/dev/null; do
    if ! alive devstack; then say "devstack died during start-up; last lines of $LOG_DIR/devstack.log:"; tail -20 "$LOG_DIR/devstack.log"; return 1; fi
    if [ $SECONDS -ge $deadline ]; then say "devstack not ready after 120 s (see $LOG_DIR/devstack.log)"; return 1; fi
    sleep 0.2
  done
  set -a; . "$DEVSTACK_ENV"; set +a
  say "devstack ready: PostgreSQL on $DB_HOST:$DB_PORT, AMQP broker at $(without_credentials "$AMQP_URI"), Redis at $(without_credentials "$REDIS_URL")"
}

await_ready() {
  local app=$1 port deadline=$((SECONDS + 60))
  port=$(admin_port_of "$app")
  until [ "$(http_status "$port" '/health-check?type=ready')" = 200 ]; do
    if ! alive "$app"; then say "$app died during start-up; last lines of $LOG_DIR/$app.log:"; tail -20 "$LOG_DIR/$app.log"; return 1; fi
    if [ $SECONDS -ge $deadline ]; then say "$app not ready after 60 s (see $LOG_DIR/$app.log)"; return 1; fi
    sleep 0.2
  done
  say "$app ready"
}

status() {
  printf '\n%-16s %-8s %-28s %-36s %s\n' SERVICE PID URL ADMIN LOG
  local app pid=- db=postgresql://127.0.0.1:${DEVSTACK_POSTGRES_PORT:-15432}
  alive devstack && pid=$(pid_of devstack)
  [ -f "$DEVSTACK_ENV" ] && db=$(set -a; . "$DEVSTACK_ENV"; echo "postgresql://$DB_HOST:$DB_PORT")
  printf '%-16s %-8s %-28s %-36s %s\n' devstack "$pid" "$db" "$DEVSTACK_ENV" "$LOG_DIR/devstack.log"
  # the broker (in the devstack's JVM) and Redis (its child process), or the real ones it was given
  local amqp=amqp://127.0.0.1:${DEVSTACK_AMQP_PORT:-15673} redis=redis://127.0.0.1:${DEVSTACK_REDIS_PORT:-16379} redis_pid=-
  [ -n "${DEVSTACK_AMQP_URI:-}" ] && amqp=${DEVSTACK_AMQP_URI}
  [ -n "${DEVSTACK_REDIS_URL:-}" ] && redis=${DEVSTACK_REDIS_URL}
  [ -f "$DEVSTACK_ENV" ] && { amqp=$(set -a; . "$DEVSTACK_ENV"; echo "$AMQP_URI"); redis=$(set -a; . "$DEVSTACK_ENV"; echo "$REDIS_URL"); }
  [ "$pid" != - ] && [ -f "$DEVSTACK_DIR/redis/redis.pid" ] && redis_pid=$(cat "$DEVSTACK_DIR/redis/redis.pid")
  printf '%-16s %-8s %-28s %-36s %s\n' "  amqp broker" "$pid" "$(without_credentials "$amqp")" "AMQP_URI" "$LOG_DIR/devstack.log"
  printf '%-16s %-8s %-28s %-36s %s\n' "  redis" "$redis_pid" "$(without_credentials "$redis")" "REDIS_URL" "$LOG_DIR/devstack.log"
  for app in $(recorded_instances); do
    local pid=-; alive "$app" && pid=$(pid_of "$app")
    printf '%-16s %-8s %-28s %-36s %s\n' "$app" "$pid" "http://localhost:$(http_port_of "$app")" \
      "http://localhost:$(admin_port_of "$app")/healthcheck" "$LOG_DIR/$app.log"
  done
  echo
}

stop_one() {
  local app=$1 pid
  if alive "$app"; then
    pid=$(pid_of "$app")
    say "stopping $app (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "$app did not stop in 15 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$RUN_DIR/$app.pid"
}

# the apps in reverse start order, then the devstack: the apps close their database pools first
stop_all() {
  local all i
  mapfile -t all < <(recorded_instances)
  for ((i=${#all[@]}-1; i>=0; i--)); do stop_one "${all[$i]}"; done
  stop_one devstack
}

reset() {
  local app
  for app in devstack "${APPS[@]}"; do
    if alive "$app"; then say "$app is running; stop everything first (./run.sh stop)"; exit 1; fi
  done
  say "deleting $DEVSTACK_DIR (PostgreSQL's data: every database)"
  rm -rf "$DEVSTACK_DIR"
}

# --scale app=N (repeatable) before or after "up"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale)
      [[ "${2:-}" =~ ^([a-z-]+)=([0-9]+)$ ]] || { echo "--scale needs app=N, e.g. --scale product-svc=3" >&2; exit 2; }
      [ -n "${PORT_VAR[${BASH_REMATCH[1]}]:-}" ] || { echo "only ${!PORT_VAR[*]} can be scaled" >&2; exit 2; }
      [ "${BASH_REMATCH[2]}" -ge 1 ] && [ "${BASH_REMATCH[2]}" -le 9 ] || { echo "--scale: 1 to 9 instances" >&2; exit 2; }
      SCALE[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"

case "${1:-up}" in
  up)
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    build_if_stale
    trap 'echo; stop_all; exit 0' INT TERM
    started=$SECONDS
    # the devstack first (PostgreSQL), then the registry; then the rest together (they need only
    # those two), awaited in order
    start_devstack
    await_devstack || { stop_all; exit 1; }
    start_app "${APPS[0]}"
    await_ready "${APPS[0]}" || { stop_all; exit 1; }
    mapfile -t rest < <(instances | tail -n +2)
    for app in "${rest[@]}"; do start_app "$app"; done
    for app in "${rest[@]}"; do await_ready "$app" || { stop_all; exit 1; }; done
    say "all services ready in $((SECONDS - started)) s"
    status
    say "Ctrl-C stops everything"
    while true; do sleep 1; done
    ;;
  status) status ;;
  stop) stop_all ;;
  reset) reset ;;
  demo)
    [ -f devstack/target/devstack.jar ] || { say "build first: ./run.sh (or mvn -DskipTests package)"; exit 1; }
    java -cp devstack/target/devstack.jar dev.wizmesh.devstack.demo.DemoTour "http://localhost:${HTTP_PORT[gateway]}" ;;
  *) echo "usage: ./run.sh [up|status|stop|demo|reset] [--scale app=N]" >&2; exit 2 ;;
esac
