#!/usr/bin/env python3
"""How fast `meshlint server` answers an edit: the time from a one-character `didChange` to
the `publishDiagnostics` of that version, in a Terraform file and in an app source, and the
server's memory. `scripts/bench --lsp` runs it on the benchmark trees; it can run alone:

usage: scripts/lsp_latency.py BINARY TREE [--edits 100]

Speaks JSON-RPC over the server's standard input and output itself (no client library), as
an editor does: initialize with TREE as the workspace folder, wait for the first check, open
one file of each kind, then make `--edits` edits, each one character typed into a comment and
then removed again, waiting for the diagnostics of each version before the next edit.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time


class Server:
    def __init__(self, binary: str, root: pathlib.Path):
        self.process = subprocess.Popen(
            [binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.request("initialize", {
            "processId": os.getpid(),
            "capabilities": {},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        })
        self.notify("initialized", {})

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message
            self.answer(message)

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def answer(self, message: dict) -> None:
        """Requests from the server (none with the capabilities sent) get an empty answer."""
        if "id" in message and "method" in message:
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def wait_for_diagnostics(self, uri, version=None) -> None:
        """Until diagnostics of `uri` (of any file: None) at `version` (any: None) come."""
        while True:
            message = self.receive()
            self.answer(message)
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message["params"]
            if uri is None or params["uri"] == uri and (version is None or params.get("version") == version):
                return

    def memory_mib(self) -> tuple:
        """(resident now, peak resident) of the server process, in MiB (Linux)."""
        fields = {}
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        as_mib = lambda key: int(fields.get(key, "0 kB").split()[0]) / 1024
        return as_mib("VmRSS"), as_mib("VmHWM")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def edit_latencies(server: Server, path: pathlib.Path, language: str, edits: int) -> list:
    """Milliseconds from each one-character edit to its diagnostics."""
    uri = path.as_uri()
    text = path.read_text()
    server.notify("textDocument/didOpen", {
        "textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}
    })
    server.wait_for_diagnostics(uri, 1)
    # Type into the file's last line, a comment added for the purpose: a character, then
    # delete it. The findings stay what they were; the whole project is checked each time.
    line = text.count("\n")
    comment = "# " if language == "terraform" else "// "
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                      "end": {"line": line, "character": 0}}, "text": comment}],
    })
    server.wait_for_diagnostics(uri, 2)
    times = []
    for k in range(edits):
        version = 3 + k
        start = {"line": line, "character": len(comment)}
        if k % 2 == 0:
            change = {"range": {"start": start, "end": start}, "text": "x"}
        else:
            end = {"line": line, "character": len(comment) + 1}
            change = {"range": {"start": start, "end": end}, "text": ""}
        began = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]
        })
        server.wait_for_diagnostics(uri, version)
        times.append((time.perf_counter() - began) * 1000)
    return times


def percentile(values: list, p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def first(tree: pathlib.Path, pattern: str) -> pathlib.Path:
    return next(p for p in sorted(tree.glob(pattern)))


def measure(binary: str, tree: pathlib.Path, edits: int) -> dict:
    began = time.perf_counter()
    server = Server(binary, tree)
    terraform = first(tree, "*/infra/services.tf")
    app = first(tree, "*/services/*/main.go")
    result = {}
    try:
        # The first check runs once the client says it is initialized; its diagnostics come
        # when the first file is opened, after it.
        server.wait_for_diagnostics(None)
        result["first check s"] = time.perf_counter() - began
        result["terraform"] = edit_latencies(server, terraform, "terraform", edits)
        result["go"] = edit_latencies(server, app, "go", edits)
        result["rss MiB"], result["peak MiB"] = server.memory_mib()
    finally:
        server.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("tree", type=pathlib.Path)
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    result = measure(args.binary, args.tree.resolve(), args.edits)
    for kind in ("terraform", "go"):
        times = result[kind]
        print(f"{kind}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
              f"max {max(times):.1f} ms over {len(times)} edits")
    print(f"first check (with opening a file): {result['first check s']:.2f} s; "
          f"memory: {result['rss MiB']:.0f} MiB resident, peak {result['peak MiB']:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
