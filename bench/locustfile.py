"""Deadline day (issue 17, item 5): information officers log in, browse, and submit records with a 200 KB proof.

Run by bench/load.py, which starts the cluster, creates officer1…officer100 and passes the nodes in
LOAD_NODES (comma-separated base URLs: each simulated officer stays on one node, as a balancer with sticky
sessions would place it). The titles of acknowledged submissions go to LOAD_TITLES_FILE at the end, so that
load.py can check that each is in the database exactly once.
"""

import datetime
import json
import os
import re
import threading
import uuid

from locust import HttpUser, between, events, task

NODES = [n for n in os.environ.get("LOAD_NODES", "").split(",") if n]
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
PROOF_BYTES = int(os.environ.get("LOAD_PROOF_BYTES", 200 * 1024))
RUN = os.environ.get("LOAD_RUN", uuid.uuid4().hex[:6])
_lock = threading.Lock()
_counter = {"user": 0}
acknowledged: list[str] = []


def proof() -> bytes:
    """A real PDF (the upload check parses it) of PROOF_BYTES, different every time."""
    from core.uploads import sample_pdf

    return sample_pdf(note="deadline day", size=PROOF_BYTES)


class Officer(HttpUser):
    # An officer reads a page or types the next article between two requests: 5–15 s (a real one takes a
    # minute or more to type an article; this is the busy end of a deadline day).
    wait_time = between(5, 15)

    def on_start(self):
        with _lock:
            _counter["user"] += 1
            self.number = _counter["user"]
        self.host = NODES[self.number % len(NODES)] if NODES else self.host
        self.client.base_url = self.host
        self.submitted = 0
        self.records: list[int] = []
        self.client.get("/login/", name="login page")
        self.client.post("/login/", {"username": f"officer{(self.number - 1) % 100 + 1}", "password": PASSWORD},
                         headers=self.csrf(), allow_redirects=False, name="login")

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    @task(3)
    def browse(self):
        self.client.get("/", name="home")
        self.client.get("/records/", name="records")
        if self.records:
            self.client.get(f"/records/{self.records[-1]}/", name="record detail")

    @task(1)
    def submit(self):
        self.submitted += 1
        title = f"截止日{RUN}-{self.number}-{self.submitted}"
        day = (datetime.date.today() - datetime.timedelta(days=1 + self.submitted % 20)).isoformat()
        data = {"title": title, "authors": "宣传员", "kind": "news", "outlet": "安康日报", "published_on": day,
                "page": "第3版", "char_count": "900", "submit": "1"}
        with self.client.post("/records/new/", data=data, files={"proofs": ("版面.pdf", proof(), "application/pdf")},
                              headers=self.csrf(), allow_redirects=False, name="submit record",
                              catch_response=True) as response:
            match = re.search(r"/records/(\d+)/", response.headers.get("Location", ""))
            if response.status_code != 302 or not match:
                response.failure(f"not saved: {response.status_code}")
                return
            self.records.append(int(match.group(1)))
            with _lock:
                acknowledged.append(title)


@events.test_stop.add_listener
def write_titles(environment, **kwargs):
    path = os.environ.get("LOAD_TITLES_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"run": RUN, "acknowledged": acknowledged}, out, ensure_ascii=False)
