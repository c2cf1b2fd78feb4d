# Sourced by bench/memory.sh, bench/read-buffer.sh, bench/admin-ui-cost.sh,
# bench/allocators.sh and bench/crowd.sh: one
# measurement of one server, the server pinned to core 0 and the load generator to core 1.
#
#     server_env=(AUTH_TOKEN=t ...)
#     measure_once SERVER_COMMAND... -- LOADGEN_ARGUMENTS...
#
# Starts the server with `server_env` and a free PORT, waits for its port, runs
# `loadgen LOADGEN_ARGUMENTS --addr ... --pid ...`, then kills the server.

bin=target/release

measure_once() {
  local cmd=()
  while [ "$1" != "--" ]; do
    cmd+=("$1")
    shift
  done
  shift
  local port pid
  port=$("$bin/loadgen" free-port)
  env PORT="$port" "${server_env[@]}" taskset -c 0 "${cmd[@]}" >/dev/null 2>&1 &
  pid=$!
  "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 30
  taskset -c 1 "$bin/loadgen" "$@" --addr "127.0.0.1:$port" --pid "$pid" >/dev/null
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
}
