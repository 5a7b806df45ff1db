#!/usr/bin/env python3
"""Serve the files of one directory over HTTP on 127.0.0.1, with the
byte ranges qemu's curl block driver needs (python3 -m http.server
ignores Range).  Prints the port it listens on, then serves until
killed.

    http-range-server.py DIR
"""
import http.server
import os
import re
import sys


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        size = os.path.getsize(path)
        start, end = 0, size - 1
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m:
            start = int(m.group(1))
            if m.group(2):
                end = min(int(m.group(2)), size - 1)
            if start > end:
                self.send_error(416)
                return None
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        f = open(path, "rb")
        f.seek(start)
        self.remaining = end - start + 1
        return f

    def copyfile(self, source, outputfile):
        while self.remaining > 0:
            data = source.read(min(self.remaining, 1 << 20))
            if not data:
                break
            outputfile.write(data)
            self.remaining -= len(data)

    def log_message(self, format, *args):
        pass


def main():
    os.chdir(sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    # One write: the reader stops at the newline and closes the pipe.
    os.write(1, b"%d\n" % server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
