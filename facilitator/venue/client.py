"""A tiny HTTP/1.1 client on gevent sockets: what a simulated phone speaks (also bench/live_groups.py).

Plain sockets rather than a library, so hundreds of phones hold their streams in one process
without threads; `gevent.socket` cooperates without monkey-patching the check's process.
"""

import time

from gevent import socket


class Connection:
    """One keep-alive connection: a phone's page loads and saves.

    `source` is the address the phone speaks from (a different 127.0.0.x per phone, so the server
    counts each phone's joins apart, as it does at a venue where each phone has its own address).
    """

    def __init__(self, port, host="127.0.0.1", source=None, timeout=30):
        self.port = port
        self.host = host
        self.source = source
        self.timeout = timeout  # None: wait as long as the server takes (the benchmarks measure that)
        self.sock = None
        self.file = None

    def open_socket(self):
        source = (self.source, 0) if self.source else None
        return socket.create_connection((self.host, self.port), timeout=self.timeout, source_address=source)

    def request(self, method, path, body=b"", headers=None, read_body=False):
        """Send one request; a keep-alive connection the server closed meanwhile is reopened once."""
        reused = self.sock is not None
        try:
            return self._request(method, path, body, headers, read_body)
        except (OSError, IndexError, ValueError):
            self.close()
            if not reused:
                raise
            return self._request(method, path, body, headers, read_body)

    def _request(self, method, path, body, headers, read_body):
        if self.sock is None:
            self.sock = self.open_socket()
            self.file = self.sock.makefile("rb")
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status = int(self.file.readline().split()[1])
        response_headers, cookies = {}, []
        while True:
            line = self.file.readline().decode("latin-1").strip()
            if not line:
                break
            key, _, value = line.partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "set-cookie":
                cookies.append(value)
            response_headers[key] = value
        response_headers["set-cookie"] = cookies
        if response_headers.get("transfer-encoding", "").lower() == "chunked":
            data = _read_chunked(self.file)
        else:
            data = self.file.read(int(response_headers.get("content-length", 0)))
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return (status, response_headers, data) if read_body else (status, response_headers)

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = self.file = None


def _read_chunked(file):
    data = b""
    while True:
        size = int(file.readline().strip() or b"0", 16)
        if size == 0:
            file.readline()
            return data
        data += file.read(size)
        file.readline()


def stream_events(port, path, headers, on_event, on_open, host="127.0.0.1", source=None):
    """Hold an SSE stream open and call on_event(event, data, arrival_time) for each event."""
    sock = Connection(port, host, source).open_socket()
    sock.settimeout(None)
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    file = sock.makefile("rb")
    try:
        status = int(file.readline().split()[1])
        chunked = False
        while True:
            line = file.readline().decode("latin-1").strip()
            if not line:
                break
            if line.lower().startswith("transfer-encoding") and "chunked" in line.lower():
                chunked = True
        if status != 200:
            raise RuntimeError(f"stream answered {status}")
        buffer = b""
        while True:
            if chunked:
                size = int(file.readline().strip() or b"0", 16)
                if size == 0:
                    return
                chunk = file.read(size)
                file.readline()
            else:
                chunk = sock.recv(65536)
                if not chunk:
                    return
            buffer += chunk
            now = time.monotonic()
            while b"\n\n" in buffer:
                raw, buffer = buffer.split(b"\n\n", 1)
                event, data = "message", []
                for line in raw.decode().split("\n"):
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        data.append(line[6:])
                data = "\n".join(data)
                if event == "stream-open":
                    on_open()
                else:
                    on_event(event, data, now)
    finally:
        sock.close()
