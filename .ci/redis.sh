# Sourced by .ci/run: a throwaway redis-server for the Redis integration tests.
# Installs it when missing (Debian, root), starts it on a free loopback port with no persistence,
# exports WHATSAPP_TEST_REDIS_URL and stops the server when the calling shell exits.

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found: installing it"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# A free loopback port: the kernel picks one.
WA_REDIS_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || true)"
if [[ -z "$WA_REDIS_PORT" ]]; then
  WA_REDIS_PORT=6390
  while (exec 3<>"/dev/tcp/127.0.0.1/$WA_REDIS_PORT") 2>/dev/null; do WA_REDIS_PORT=$((WA_REDIS_PORT + 1)); done
fi

redis-server --port "$WA_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --loglevel warning >"${TMPDIR:-/tmp}/whatsapp-cloud-redis-$WA_REDIS_PORT.log" 2>&1 &
WA_REDIS_PID=$!
wa_stop_redis() { kill "$WA_REDIS_PID" 2>/dev/null || true; wait "$WA_REDIS_PID" 2>/dev/null || true; }
trap wa_stop_redis EXIT

for _ in $(seq 1 100); do
  if redis-cli -p "$WA_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then break; fi
  sleep 0.1
done
redis-cli -p "$WA_REDIS_PORT" ping | grep -q PONG || { echo "redis-server did not start on port $WA_REDIS_PORT" >&2; exit 1; }
export WHATSAPP_TEST_REDIS_URL="redis://127.0.0.1:$WA_REDIS_PORT/"
echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on $WHATSAPP_TEST_REDIS_URL"
