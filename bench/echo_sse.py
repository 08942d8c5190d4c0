"""A bare gevent SSE fan-out: no database, no templates, the floor the app is measured against.

    python bench/echo_sse.py PORT

POST /publish?channel=C&event=E&data=D sends one event to every stream on C;
GET /stream?channel=C holds a stream open.
"""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

from gevent.pywsgi import WSGIServer  # noqa: E402
from gevent.queue import Queue  # noqa: E402

listeners = {}


def app(environ, start_response):
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    channel = query.get("channel", "")
    if environ["PATH_INFO"] == "/publish":
        environ["wsgi.input"].read()
        for queue in list(listeners.get(channel, ())):
            queue.put(f"event: {query.get('event', '')}\ndata: {query.get('data', '')}\n\n")
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    if environ["PATH_INFO"] == "/stream":
        queue = Queue()
        listeners.setdefault(channel, set()).add(queue)
        start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])

        def stream():
            try:
                yield b"event: stream-open\ndata: \n\n"
                while True:
                    yield queue.get().encode()
            finally:
                listeners[channel].discard(queue)

        return stream()
    start_response("404 Not Found", [("Content-Length", "0")])
    return [b""]


if __name__ == "__main__":
    WSGIServer(("127.0.0.1", int(sys.argv[1])), app, log=None).serve_forever()
