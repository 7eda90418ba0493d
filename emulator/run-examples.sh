#!/usr/bin/env bash
# Runs every example of emulator/examples/ against a local emulator, unchanged: only the
# environment differs from a run against Alibaba Cloud (ALIBABA_CLOUD_ENDPOINT points at the
# emulator, the keys are the emulator's test keys). Each example runs twice: once expecting
# success, once after asking the emulator (HTTP control endpoint) for a documented error or
# for throttling, expecting the example's typed error handling to report it.
#
# Usage: emulator/run-examples.sh        (from anywhere; needs only cargo and bash)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet -p alibabacloud-emulator --bin alibabacloud-emulator --examples
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$target_dir/debug/alibabacloud-emulator"
examples="$target_dir/debug/examples"

work="$(mktemp -d)"
"$bin" --port 0 >"$work/stdout" 2>"$work/stderr" &
emulator_pid=$!
cleanup() {
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The first stdout line is `alibabacloud-emulator listening on http://127.0.0.1:PORT`.
url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's/^alibabacloud-emulator listening on \(http:\/\/[0-9.:]*\)$/\1/p' "$work/stdout")"
    [ -n "$url" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        cat "$work/stderr" >&2
        echo "the emulator exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$url" ] || { echo "the emulator did not report its address" >&2; exit 1; }
port="${url##*:}"
echo "emulator at $url"

# POST to a control endpoint with bash's /dev/tcp (no curl needed); fails unless 200.
control() {
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "$1" "$port" >&3
    reply="$(cat <&3)"
    exec 3<&-
    case "$reply" in
        "HTTP/1.1 200"*) ;;
        *) echo "control request $1 failed: $reply" >&2; return 1 ;;
    esac
}

export ALIBABA_CLOUD_ENDPOINT="$url"
export ALIBABA_CLOUD_ACCESS_KEY_ID=test-access-key-id
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=test-access-key-secret
export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
unset ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_ROLE_ARN ALIBABA_CLOUD_CREDENTIALS_URI

passed=0
failed=0
check() { # name, expected exit (0 or 1), text expected in the output
    local name="$1" want="$2" text="$3" out status=0
    out="$("$examples/$name" 2>&1)" || status=$?
    if [ "$status" -eq "$want" ] && grep -qF -- "$text" <<<"$out"; then
        passed=$((passed + 1))
        echo "ok   $name (exit $status): $out"
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $status (wanted $want), output lacks \"$text\":" >&2
        echo "$out" >&2
    fi
}

check rds_create_replication_link 0 "replication link task Some(564532302)"
control "/__emulator/fail?action=CreateReplicationLink&code=IncorrectDBInstanceState&times=1"
check rds_create_replication_link 1 "IncorrectDBInstanceState (HTTP 400): The current instance state does not support this operation.; the instance is not ready yet"

check dataworks_create_di_sync_task 0 "sync task file Some(1000001), status success"
control "/__emulator/fail?action=CreateDISyncTask&code=Forbidden.DI.NoPrivilege&times=1"
check dataworks_create_di_sync_task 1 "Forbidden.DI.NoPrivilege (HTTP 403)"

check adb_create_aps_job 0 "APS job aps-bj1xxxxxx created"
# More throttled answers than the runtime's attempts: the example reports throttling.
control "/__emulator/throttle?times=3&action=CreateAPSJob&retry_after_ms=1"
check adb_create_aps_job 1 "Throttling.User (HTTP 400)"

# ROA (ACK): a nested JSON body, then a path value.
check cs_create_and_describe_cluster 0 "cluster cluster-demo is running (Kubernetes 1.32.1-aliyun.1)"
control "/__emulator/throttle?times=3&action=DescribeClusterDetail&retry_after_ms=1"
check cs_create_and_describe_cluster 1 "DescribeClusterDetail failed: Throttling.User (HTTP 400)"

# FC: a named-schema body, then a byte payload with header parameters and a byte answer.
check fc_create_and_invoke_function 0 "invoked with 22 bytes: HTTP 200, 8 bytes back"
control "/__emulator/throttle?times=3&action=InvokeFunction&retry_after_ms=1"
check fc_create_and_invoke_function 1 "InvokeFunction failed: Throttling.User (HTTP 400)"

# A paginator: 250 instances in pages of 100 (PageNumber 1, 2, 3); then an error on the
# second page ends the stream with the operation's typed error.
control "/__emulator/list?action=DescribeDBInstances&items=250&version=2014-08-15"
check rds_list_every_instance 0 "250 instance(s) by engine"
control "/__emulator/list?action=DescribeDBInstances&items=250&version=2014-08-15&fail_on_page=2&code=InvalidParam"
check rds_list_every_instance 1 "DescribeDBInstances failed after 100 instance(s): InvalidParam (HTTP 400)"

# A waiter: an asynchronous create, then GetOperation polled until COMPLETED, or FAILED.
export EMR_POLL_INTERVAL_MS=10
control "/__emulator/job?action=GetOperation&version=2021-03-20&states=IN_PROGRESS,IN_PROGRESS,COMPLETED"
check emr_create_cluster_and_wait 0 "is ready: COMPLETED after 3 poll(s)"
control "/__emulator/job?action=GetOperation&version=2021-03-20&states=IN_PROGRESS,FAILED"
check emr_create_cluster_and_wait 1 "failed: FAILED (RequestId"

echo
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
