"""Time from starting `socialcap serve` to its first answered request, in a fresh process.

Run from the repository root::

    python benchmarks/serve_start.py STORE          # for example socialcap-demo/maps.db

Starts ``socialcap serve STORE --no-browser --port 0``, reads the printed address and
polls it every 20 ms (keeping cookies, so the key's redirect succeeds) until the first
HTTP answer; prints when the address was printed and when the first answer came.
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
t0 = time.perf_counter()
process = subprocess.Popen(["socialcap", "serve", sys.argv[1], "--no-browser", "--port", "0"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
try:
    url = None
    for line in process.stdout:
        found = re.search(r"https?://\S+", line)
        if found:
            url = found.group(0)
            break
    if url is None:
        sys.exit("socialcap serve printed no address")
    printed = time.perf_counter() - t0
    while True:
        try:
            with opener.open(url, timeout=5) as response:
                response.read()
                code = response.status
            break
        except urllib.error.HTTPError as error:
            code = error.code
            break
        except OSError:
            if time.perf_counter() - t0 > 60:
                raise
            time.sleep(0.02)
    print(f"address printed {printed:.2f} s, first answer (HTTP {code}) {time.perf_counter() - t0:.2f} s")
finally:
    process.terminate()
    process.wait(10)
