#!/usr/bin/python3
"""Runs every ```bash block of README.md, so the examples a newcomer copies keep working.

Conventions (README's Development section says the same):

* Only fences opened with ```bash run. Commands that are not meant to run here (the build and
  test commands, Docker, podman) use ```sh instead, and other text ```console / ```yaml.
* Each block runs with `bash` (`set -eo pipefail` first, so a failing command fails the block) in
  a fresh temporary directory, which holds `build/server/csr-emulator` (a link to the binary
  under test), so `./build/server/csr-emulator` works as it does from the repository root.
* Every block gets its own emulator on a free port with `--db :memory:`, started by this test and
  ready (its listening line seen) before the block runs. A block marked
  `<!-- example: starts-emulator -->` on the line before its fence starts its own instead (the
  README shows that start line and a readiness wait); it gets CSR_EMULATOR_DB=:memory: and
  CSR_EMULATOR_LISTEN set to its free port in its environment, so the start line needs no
  flag for either.
* The documented ports (8790 API, 8443 TLS edge, 8080 plain-HTTP edge, 3000 the app behind the
  edge, 5300 the example DNS server) are replaced in the block's text by free ports, so blocks
  never collide with each other or with anything else on the machine.
* `# → TEXT` (at the end of a command or on a line of its own) promises that TEXT appears in the
  block's standard output; the promises must appear in that order.
* Other markers, on the line before the fence, combined with commas:
  `<!-- example: emulator-flags=--validation manual -->` starts this test's emulator with these
  flags; `<!-- example: timeout=90 -->` raises the block's time limit (30 s by default).
* Everything a block starts in the background is stopped when the block ends (its process group
  gets SIGTERM, then SIGKILL).

Besides the blocks, README must name every flag the binary's `--help` lists (its Configuration
section lists them by topic), so a new flag cannot go undocumented.

Usage: run_readme_examples.py --binary build/server/csr-emulator [--readme README.md] [--only TEXT]
"""
import argparse
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DOCUMENTED_PORTS = ("8790", "8443", "8080", "3000", "5300")
PORT_PATTERN = re.compile(r"(?<![0-9A-Za-z.])(" + "|".join(DOCUMENTED_PORTS) + r")(?![0-9A-Za-z])")
PROMISE = re.compile(r"#\s*→\s*(.+?)\s*$")
MARKER = re.compile(r"^<!--\s*example:\s*(.*?)\s*-->\s*$")
DEFAULT_TIMEOUT = 30


class Block:
    def __init__(self, heading, line, text, markers):
        self.heading = heading
        self.line = line
        self.text = text
        self.starts_emulator = "starts-emulator" in markers
        self.flags = shlex.split(markers.get("emulator-flags", ""))
        self.timeout = int(markers.get("timeout", DEFAULT_TIMEOUT))

    @property
    def name(self):
        return f"README.md:{self.line} ({self.heading})"

    def promises(self):
        return [m.group(1) for m in (PROMISE.search(line) for line in self.text.splitlines()) if m]


def parse_markers(text):
    markers = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        markers[key.strip()] = value.strip()
    return markers


def extract_blocks(readme_text):
    blocks, heading, markers = [], "top", {}
    lines = readme_text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        marker = MARKER.match(line)
        if marker:
            markers = parse_markers(marker.group(1))
            i += 1
            continue
        if line.startswith("```"):
            language = line[3:].strip()
            start = i + 1
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                i += 1
            if language == "bash":
                blocks.append(Block(heading, start, "\n".join(lines[start:i]) + "\n", markers))
            markers = {}
        elif line.strip():
            markers = {}  # a marker belongs to the fence right after it (blank lines allowed)
        i += 1
    return blocks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_ports(text, ports):
    return PORT_PATTERN.sub(lambda m: str(ports[m.group(1)]), text)


def start_emulator(binary, flags, workdir):
    """This test's emulator for one block: --db :memory:, port 0; returns (process, port, log path)."""
    log_path = os.path.join(workdir, "emulator-started-by-test.log")
    log = open(log_path, "w")
    process = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", ":memory:", *flags],
                               stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
    deadline = time.monotonic() + 20
    line = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"csr-emulator listening on http://127\.0\.0\.1:(\d+)", line)
        if match:
            return process, int(match.group(1)), log_path
    stop_group(process)
    raise RuntimeError(f"the emulator did not print its listening line (last: {line!r}); log:\n" + read(log_path))


def stop_group(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        process.poll()
        time.sleep(0.05)  # waiting for the group to exit after SIGTERM; nothing to wait on instead
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def check_promises(promises, output):
    """The first promise not found in order in `output`, or None."""
    at = 0
    for promise in promises:
        found = output.find(promise, at)
        if found < 0:
            return promise
        at = found + len(promise)
    return None


def run_block(block, binary):
    workdir = tempfile.mkdtemp(prefix="readme-example-")
    os.makedirs(os.path.join(workdir, "build", "server"))
    os.symlink(os.path.abspath(binary), os.path.join(workdir, "build", "server", "csr-emulator"))
    ports = {port: free_port() for port in DOCUMENTED_PORTS}
    env = dict(os.environ)
    emulator = None
    try:
        if block.starts_emulator:
            env["CSR_EMULATOR_DB"] = ":memory:"
            env["CSR_EMULATOR_LISTEN"] = f"127.0.0.1:{ports['8790']}"
        else:
            flags = [with_ports(flag, ports) for flag in block.flags]
            emulator, ports["8790"], _ = start_emulator(binary, flags, workdir)
        script = os.path.join(workdir, "example.sh")
        with open(script, "w") as f:
            f.write("set -eo pipefail\n" + with_ports(block.text, ports))
        out_path, err_path = os.path.join(workdir, "stdout"), os.path.join(workdir, "stderr")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            shell = subprocess.Popen(["bash", script], cwd=workdir, env=env, stdout=out, stderr=err,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                code = shell.wait(timeout=block.timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                code, timed_out = None, True
            stop_group(shell)
        output = read(out_path)
        problems = []
        if timed_out:
            problems.append(f"did not finish within {block.timeout} s")
        elif code != 0:
            problems.append(f"exited with {code}")
        missing = check_promises(block.promises(), output)
        if missing is not None:
            problems.append(f"promised output not found (in order): {missing!r}")
        if problems:
            report = [f"FAIL {block.name}: " + "; ".join(problems), "--- script ---", read(script),
                      "--- stdout ---", output, "--- stderr ---", read(err_path)[-6000:]]
            if emulator:
                report += ["--- emulator log (tail) ---", read(os.path.join(workdir, "emulator-started-by-test.log"))[-3000:]]
            return "\n".join(report)
        return None
    finally:
        if emulator:
            stop_group(emulator)
        shutil.rmtree(workdir, ignore_errors=True)


def flags_missing_from(readme_text, binary):
    """The flags `binary --help` lists that README does not name."""
    shown = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30)
    flags = re.findall(r"^\s+(--[a-z0-9][a-z0-9-]*)", shown.stdout + shown.stderr, re.MULTILINE)
    if not flags:
        return ["(none found in --help: is the binary right?)"]
    return [flag for flag in dict.fromkeys(flags) if not re.search(re.escape(flag) + r"(?![a-z0-9-])", readme_text)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--readme", default=os.path.join(os.path.dirname(__file__), "..", "..", "README.md"))
    parser.add_argument("--only", help="run only blocks whose heading or line contains this text")
    args = parser.parse_args()
    with open(args.readme) as f:
        readme_text = f.read()
    blocks = extract_blocks(readme_text)
    missing = flags_missing_from(readme_text, args.binary)
    if missing and not args.only:
        print("README does not name these flags of --help: " + ", ".join(missing), flush=True)
    if args.only:
        blocks = [b for b in blocks if args.only in b.name]
    if not blocks:
        print("no ```bash blocks found", file=sys.stderr)
        return 1
    failures = 0
    for block in blocks:
        started = time.monotonic()
        failure = run_block(block, args.binary)
        took = time.monotonic() - started
        if failure:
            failures += 1
            print(failure, flush=True)
        else:
            print(f"ok   {block.name}: {len(block.promises())} promised outputs seen ({took:.1f} s)", flush=True)
    print(f"{len(blocks) - failures} of {len(blocks)} README examples passed")
    return 1 if failures or (missing and not args.only) else 0


if __name__ == "__main__":
    sys.exit(main())
