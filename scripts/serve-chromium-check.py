#!/usr/bin/env python3
"""Run by hand: headless Chromium on `promptsite serve`, showing the live reload and the error overlay.

usage: python3 scripts/serve-chromium-check.py [path/to/promptsite]
Needs Debian's `chromium` and `pip install websocket-client`. Copies Content/ and Site.json into a
temporary folder, serves that copy on a free port, opens a version page in Chromium (DevTools protocol),
then saves the version three times (a good edit, a broken template, the fix) and prints, for each,
how long after the save the page reloaded and whether the overlay is shown.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/promptsite")
project = tempfile.mkdtemp(prefix="promptsite-chromium-")
shutil.copytree("Content", os.path.join(project, "Content"))
shutil.copy("Site.json", project)
prompt = os.path.join(project, "Content/prompts/harbor-storm-arrival/v3.prompt")
serve = subprocess.Popen([binary, "serve", "--port", "0"], cwd=project, stdout=subprocess.PIPE, text=True)
chrome = None
try:
    url = None
    for line in serve.stdout:
        print("serve:", line.rstrip())
        match = re.search(r"serving (http://\S+/)", line)
        if match:
            url = match.group(1)
            break
    chrome = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--user-data-dir=" + tempfile.mkdtemp(),
                               "--remote-debugging-port=9333", "--remote-allow-origins=*", url + "prompts/harbor-storm-arrival/v3/"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tab = None
    for _ in range(200):
        try:
            tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
            tab = next(t for t in tabs if t["type"] == "page" and t["url"].startswith(url))
            break
        except Exception:
            time.sleep(0.1)
    ws = websocket.create_connection(tab["webSocketDebuggerUrl"])
    ws.settimeout(30)
    ids = iter(range(1, 1_000_000))

    def call(method, **params):
        number = next(ids)
        ws.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(ws.recv())
            if message.get("id") == number:
                return message.get("result")

    def js(expression):
        return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    call("Page.enable")
    while js("document.readyState") != "complete":
        time.sleep(0.05)
    time.sleep(0.5)  # the event stream connects after the load
    print("loaded:", js("document.title"), "| overlay:", js('!!document.getElementById("promptsite-overlay")'))
    original = open(prompt).read()

    def save(text, label):
        js("window.__marker = 1")
        start = time.time()
        with open(prompt, "w") as handle:
            handle.write(text)
        while json.loads(ws.recv()).get("method") != "Page.loadEventFired":
            pass
        overlay = js('!!document.getElementById("promptsite-overlay")')
        first = js('(document.querySelector(".promptsite-diagnostic div") || {}).textContent || null')
        print(f"{label}: reloaded {time.time() - start:.2f} s after the save (marker gone: {js('window.__marker') is None}); "
              f"overlay: {overlay}; first diagnostic: {first!r}")

    save(original.replace("message: Slower dolly", "message: Much slower dolly"), "good save")
    print("  the page shows the new message:", js('document.body.innerText.includes("Much slower dolly")'))
    save(original + "{{#if x}} broken\n", "broken save")
    save(original, "fixing save")
finally:
    if chrome:
        chrome.terminate()
    serve.send_signal(2)
    print("serve:", serve.communicate(timeout=10)[0].strip().splitlines()[-1], "| exit", serve.returncode)
    shutil.rmtree(project, ignore_errors=True)
