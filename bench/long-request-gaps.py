#!/usr/bin/python3
"""How long small requests wait behind long ones on a freshly started service: for SECONDS, three strict clients
(no retries, like the redeploy tests' RedeployLoad) post /predict to 127.0.0.1:PORT: long requests of 10,000 rows
(models/demo/request.json repeated, keep-alive), small requests with a new connection each, small requests on one
keep-alive connection. Prints, per client, the answers, the failures and the longest gap between two answers.
Start the service just before (a fresh worker is what a redeploy brings).
Usage: bench/long-request-gaps.py PORT SECONDS"""
import http.client
import json
import os
import sys
import threading
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
small = open(os.path.join(os.path.dirname(__file__), "..", "models", "demo", "request.json")).read()
columns = json.loads(json.loads(small))
frame = {name: {str(row): list(cells.values())[row % len(cells)] for row in range(10_000)} for name, cells in columns.items()}
large = json.dumps(json.dumps(frame))
end = time.time() + seconds
figures = {}


def client(name, body, keep_alive):
    answered, failed, connection = [], 0, None
    while time.time() < end:
        try:
            if connection is None or not keep_alive:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/predict", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                answered.append(time.time())
            else:
                failed += 1
            if not keep_alive:
                connection.close()
        except (OSError, http.client.HTTPException):
            failed += 1
            connection = None
    gaps = [later - earlier for earlier, later in zip(answered, answered[1:])]
    figures[name] = f"{len(answered)} answers, {failed} failed, longest gap {max(gaps) * 1000:.0f} ms" if gaps else "fewer than 2 answers"


clients = [threading.Thread(target=client, args=spec) for spec in
           [("long (10,000 rows)", large, True), ("new connection per request", small, False), ("keep-alive", small, True)]]
for thread in clients:
    thread.start()
for thread in clients:
    thread.join()
for name in ("new connection per request", "keep-alive", "long (10,000 rows)"):
    print(f"{name}: {figures[name]}")
