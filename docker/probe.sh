#!/bin/bash
# The container's health probe: GET /health-check?type=<ready|alive> on the app's admin port,
# on loopback, with nothing but bash (its /dev/tcp); exit 0 on HTTP 200, 1 on anything else.
#
#   probe.sh ready    readiness: 503 while a critical dependency (the database) is down or the app
#                     is shutting down. The image's HEALTHCHECK and compose's healthcheck use it.
#   probe.sh alive    liveness: 503 only when the JVM is wedged (a deadlock)
#
# The admin port is the one the app's config/<app>.yml reads, so an override such as
# GATEWAY_ADMIN_PORT=9081 is honoured here too.
set -u
type=${1:-ready}
case "${APP:-}" in
  registry-server) port=${REGISTRY_ADMIN_PORT:-8762} ;;
  gateway)         port=${GATEWAY_ADMIN_PORT:-8081} ;;
  user-svc)        port=${USER_SVC_ADMIN_PORT:-8111} ;;
  product-svc)     port=${PRODUCT_SVC_ADMIN_PORT:-8121} ;;
  order-svc)       port=${ORDER_SVC_ADMIN_PORT:-8131} ;;
  cron-svc)        port=${CRON_SVC_ADMIN_PORT:-8141} ;;
  *) echo "probe.sh: unknown APP '${APP:-}'" >&2; exit 1 ;;
esac

{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || { echo "admin port $port: connection refused"; exit 1; }
printf 'GET /health-check?type=%s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$type" >&3
# the status line: HTTP/1.1 200 OK
IFS=' ' read -r -t 4 _ status _ <&3 || status=none
exec 3<&- 3>&-
[ "$status" = 200 ] && exit 0
echo "admin port $port: /health-check?type=$type answered ${status}"
exit 1
