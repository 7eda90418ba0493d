#!/usr/bin/env python3
"""Records the requests Alibaba's official Python SDK sends, for the wire-golden tests.

    python3 wire-goldens/record.py            # every recorded product version
    python3 wire-goldens/record.py rds/2014-08-15 ...

For every generated crate with a `tests/wire_goldens/inputs.json` (written by
`cargo xtask regen`; the product versions are listed in codegen/src/emit/wire_goldens.rs),
each operation's input is sent through the official SDK (the pinned PyPI packages of
requirements.txt, installed into a virtual environment under target/, never committed) to a
loopback HTTP server run here, which records the request as it arrives: method, raw request
target, headers in wire order, body. Date and nonce are pinned. The result is
wire-goldens/recordings/<code>-<version>.json, one operation per line.

Maintainer tool only: CI runs the Rust side (the generated crates' tests/wire_goldens.rs).
"""

import http.server
import importlib
import inspect
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / "target" / "wire-goldens-venv"
REQUIREMENTS = HERE / "requirements.txt"

ACCESS_KEY_ID = "YourAccessKeyId"
ACCESS_KEY_SECRET = "YourAccessKeySecret"
PINNED_DATE = "2025-06-01T12:00:00Z"
PINNED_HTTP_DATE = "Sun, 01 Jun 2025 12:00:00 GMT"
PINNED_NONCE = "7f0cd9587b470cbd9b4599535064f16b"
ANSWER = b'{"RequestId":"wire-goldens"}'
PORT = 48124


def ensure_venv():
    """Re-runs this script inside the virtual environment with the pinned packages."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    stamp = VENV / "requirements.txt"
    wanted = REQUIREMENTS.read_text()
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        print(f"installing {REQUIREMENTS.name} into {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
            check=True,
        )
        stamp.write_text(wanted)
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


class Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps each request exactly as it arrived and answers a small JSON success."""

    protocol_version = "HTTP/1.1"
    received = queue.Queue()

    def handle_one_request(self):
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        headers = [[name, value] for name, value in self.headers.items()]
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        elif self.headers.get("Content-Length") is not None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        request = {"method": self.command, "target": self.path, "headers": headers}
        try:
            request["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            request["body_hex"] = body.hex()
        Recorder.received.put(request)
        self.send_response(200)
        self.send_header("content-type", "application/json;charset=utf-8")
        self.send_header("x-acs-request-id", "wire-goldens")
        self.send_header("content-length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)
        self.wfile.flush()

    def log_message(self, *args):
        pass


def pin_date_and_nonce():
    from alibabacloud_tea_openapi import utils as openapi_utils

    utils = openapi_utils.Utils
    utils.get_timestamp = staticmethod(lambda: PINNED_DATE)
    utils.get_nonce = staticmethod(lambda: PINNED_NONCE)
    utils.get_date_utcstring = staticmethod(lambda: PINNED_HTTP_DATE)
    try:
        from alibabacloud_tea_util.client import Client as TeaUtil

        TeaUtil.get_nonce = staticmethod(lambda: PINNED_NONCE)
        TeaUtil.get_date_utcstring = staticmethod(lambda: PINNED_HTTP_DATE)
    except ImportError:
        pass


def flat(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def sdk_methods(client_class):
    """`<method>_with_options` of the client, by action with case and `_` removed."""
    methods = {}
    for name, function in inspect.getmembers(client_class, inspect.isfunction):
        # `describe_dbinstance_sslwith_options`: the generator sometimes drops the `_`.
        if name.endswith("with_options"):
            methods[flat(name[: -len("with_options")])] = name
    return methods


def model_class(models, annotation):
    if annotation is inspect.Parameter.empty:
        return None
    name = str(annotation).split(".")[-1].strip("'\"")
    return getattr(models, name, None)


def model_keys(value):
    """The wire names a model's `to_map` keeps (lists of models included)."""
    return set(value.keys()) if isinstance(value, dict) else set()


def model_wire_names(cls):
    """The wire names a model's `from_map` reads: the SDK's own parameter list."""
    try:
        source = inspect.getsource(cls.from_map)
    except (OSError, TypeError):
        return set()
    return set(re.findall(r"m\.get\('([^']+)'\)", source))


def body_wire_names(models, cls):
    """The wire names the model of a request's `body` field reads (fc: `body: <Input>`)."""
    try:
        source = inspect.getsource(cls.from_map)
    except (OSError, TypeError):
        return set()
    found = re.search(r"temp_model = (?:main_models\.)?(\w+)\(\)\s*\n\s*self\.body = ", source)
    body = getattr(models, found.group(1), None) if found else None
    return model_wire_names(body) if body is not None else set()


def call(client, models, method_name, operation, runtime):
    """Sends one operation's input through the SDK. Returns the top-level parameters the
    SDK's models have no field for, and the SDK's parameters the input does not have."""
    method = getattr(client, method_name)
    signature = inspect.signature(method)
    params = operation["params"]
    by_location = {}
    for param in params:
        by_location.setdefault(param["in"], []).append(param)
    arguments = []
    used = set()
    sdk_names = set()
    nested_names = set()
    for name, parameter in signature.parameters.items():
        if name == "runtime":
            arguments.append(runtime)
        elif name == "headers":
            cls = model_class(models, parameter.annotation)
            header_params = by_location.get("header", [])
            if cls is None:
                arguments.append({p["name"]: p["value"] for p in header_params})
                used.update(p["name"] for p in header_params)
            else:
                sdk_names |= model_wire_names(cls)
                instance = cls().from_map({p["name"]: p["value"] for p in header_params})
                kept = model_keys(instance.to_map())
                used.update(p["name"] for p in header_params if p["name"] in kept)
                arguments.append(instance)
        elif name in ("request", "tmp_req"):
            cls = model_class(models, parameter.annotation)
            others = [p for p in params if p["in"] not in ("path", "header")]
            names = model_wire_names(cls)
            sdk_names |= names
            members = [p for p in others if p.get("body_member")]
            # An object body's members: the cs models have them as fields of their own, the
            # fc models as one field `body` of the body's model (ROA).
            nested = bool(members) and "body" in names and not any(p["name"] in names for p in members)
            top = [p for p in others if not (nested and p.get("body_member"))]
            values = {p["name"]: p["value"] for p in top}
            flattened = {}
            for p in top:
                value = p["value"]
                if p["in"] == "body" and p["name"] not in names and isinstance(value, dict):
                    # An object body kept whole by the spec (cs CreateTrigger: a member has a
                    # path parameter's name) whose members the cs model has as its fields.
                    if any(key in names for key in value):
                        del values[p["name"]]
                        values.update(value)
                        flattened[p["name"]] = set(value)
            if nested:
                values["body"] = {p["name"]: p["value"] for p in members}
                nested_names.add("body")
                sdk_names |= body_wire_names(models, cls)
            instance = cls().from_map(values)
            for p in top:
                if p.get("payload"):
                    # A byte body is a stream (InvokeFunction).
                    setattr(instance, "body", io.BytesIO(p["value"].encode("utf-8")))
            kept = model_keys(instance.to_map()) | {p["name"] for p in top if p.get("payload")}
            used.update(p["name"] for p in top if p["name"] in kept)
            used.update(name for name, keys in flattened.items() if keys <= kept)
            nested_names.update(key for keys in flattened.values() for key in keys)
            if nested:
                body = instance.to_map().get("body")
                used.update(p["name"] for p in members if p["name"] in model_keys(body))
            arguments.append(instance)
        else:
            # A path parameter, passed by position (ROA).
            match = [p for p in by_location.get("path", []) if flat(p["name"]) == flat(name)]
            if not match:
                raise LookupError(f"no input for the SDK argument {name!r}")
            value = match[0]["value"]
            if parameter.annotation in (str, "str") and isinstance(value, int) and not isinstance(value, bool):
                # The SDK types every path argument `str` (fc's versionId, version): an
                # integer of the spec goes in as its decimal text.
                value = str(value)
            arguments.append(value)
            used.add(match[0]["name"])
    dropped = [p["name"] for p in params if p["name"] not in used]
    sdk_only = sorted(sdk_names - {p["name"] for p in params} - nested_names)
    method(*arguments)
    return dropped, sdk_only


def record_product(inputs_path, versions):
    inputs = json.loads(inputs_path.read_text())
    code, version = inputs["product"], inputs["version"]
    package = "alibabacloud_" + code.replace("-", "_") + version.replace("-", "")
    client_module = importlib.import_module(package + ".client")
    models = importlib.import_module(package + ".models")
    from alibabacloud_tea_openapi.utils_models import Config
    from darabonba.runtime import RuntimeOptions

    # A fixed port keeps the recorded `host` header, and so the signatures, the same from one
    # recording to the next; any free port works as well.
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Recorder)
    except OSError:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"127.0.0.1:{server.server_address[1]}"
    client = client_module.Client(
        Config(
            access_key_id=ACCESS_KEY_ID,
            access_key_secret=ACCESS_KEY_SECRET,
            endpoint=endpoint,
            protocol="http",
            region_id="cn-hangzhou",
        )
    )
    methods = sdk_methods(client_module.Client)
    records = []
    for operation in inputs["operations"]:
        action = operation["action"]
        record = {"action": action}
        method_name = methods.get(flat(action))
        if method_name is None:
            record["sdk_error_kind"] = "sdk-lacks-operation"
            record["sdk_error"] = f"the SDK's client has no method for {action}"
        else:
            record["sdk_call"] = f"{package}.client.Client.{method_name}"
            try:
                record["dropped"], record["sdk_only"] = call(
                    client,
                    models,
                    method_name,
                    operation,
                    RuntimeOptions(autoretry=False, max_attempts=0),
                )
            except Exception as error:  # noqa: BLE001 - recorded, reviewed in the test
                record["sdk_error_kind"] = "sdk-error"
                record["sdk_error"] = "".join(
                    traceback.format_exception_only(type(error), error)
                ).strip()
            try:
                record["request"] = Recorder.received.get(timeout=0.5)
            except queue.Empty:
                pass
            while not Recorder.received.empty():
                extra = Recorder.received.get()
                record.setdefault("extra_requests", []).append(extra)
        record["input"] = operation
        records.append(record)
        if "request" not in record:
            print(f"  {action}: {record.get('sdk_error')}", file=sys.stderr)
    server.shutdown()
    server.server_close()
    out = HERE / "recordings" / f"{code}-{version}.json"
    out.parent.mkdir(exist_ok=True)
    header = {
        "about": "Requests sent by Alibaba's official Python SDK for the inputs of "
        f"generated/{inputs['crate']}/tests/wire_goldens/inputs.json, recorded on loopback by "
        "wire-goldens/record.py. Do not edit; re-record instead.",
        "product": f"{code}/{version}",
        "sdk": versions,
        "credentials": {
            "access_key_id": ACCESS_KEY_ID,
            "access_key_secret": ACCESS_KEY_SECRET,
        },
        "pinned": {
            "x-acs-date": PINNED_DATE,
            "x-acs-signature-nonce": PINNED_NONCE,
            "date": PINNED_HTTP_DATE,
        },
    }
    lines = [json.dumps(header, ensure_ascii=False, sort_keys=True)[:-1] + ', "operations": [']
    lines.append(
        ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records)
    )
    lines.append("]}")
    out.write_text("\n".join(lines) + "\n")
    sent = sum(1 for r in records if "request" in r)
    print(f"{code}/{version}: {sent} of {len(records)} operations recorded -> {out.relative_to(ROOT)}")


def main():
    ensure_venv()
    from importlib import metadata

    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    os.environ.pop("ALIBABA_CLOUD_USER_AGENT", None)
    pin_date_and_nonce()
    wanted = set(sys.argv[1:])
    found = sorted(ROOT.glob("generated/*/tests/wire_goldens/inputs.json"))
    if not found:
        sys.exit("no generated/*/tests/wire_goldens/inputs.json: run `cargo xtask regen` first")
    for inputs_path in found:
        inputs = json.loads(inputs_path.read_text())
        key = f"{inputs['product']}/{inputs['version']}"
        if wanted and key not in wanted:
            continue
        pypi = "alibabacloud-" + inputs["product"] + inputs["version"].replace("-", "")
        versions = {
            name: metadata.version(name)
            for name in [
                "alibabacloud-tea-openapi",
                "darabonba-core",
                "alibabacloud-tea-util",
                "alibabacloud-credentials",
                "requests",
                pypi,
            ]
        }
        versions["python"] = sys.version.split()[0]
        record_product(inputs_path, versions)


if __name__ == "__main__":
    main()
