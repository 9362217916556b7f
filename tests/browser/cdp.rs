//! A small synchronous Chrome DevTools Protocol client for headless Chromium.
//!
//! Chromium is started with `--remote-debugging-pipe`: it reads protocol messages from file
//! descriptor 3 and writes them to descriptor 4, each message being JSON followed by a NUL byte.
//! `sh` maps the child's piped stdin and stdout onto those descriptors, so no socket, port or
//! WebSocket library is involved, and a test cannot collide with another over a port.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

/// How long one protocol call or awaited event may take before the test gives up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Flags that keep a root-run headless Chromium quiet on a machine without network access.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
];

/// A running Chromium with one tab, and the protocol connection to it.
pub(crate) struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// Events received while waiting for something else, oldest first.
    events: Vec<Value>,
    /// The tab's flattened protocol session; empty until the tab is attached.
    session: String,
    /// Holds the profile directory until Chromium has exited.
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts `chromium` with a fresh profile directory and opens the tab the test drives.
    pub(crate) fn launch(chromium: &Path) -> Result<Self> {
        let profile = tempfile::tempdir()?;
        let log = profile.path().join("stderr.log");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(chromium)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("starting {}", chromium.display()))?;
        let input = child.stdin.take().expect("stdin is piped");
        let output = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = mpsc::channel();
        thread::spawn(move || {
            for chunk in BufReader::new(output).split(0) {
                let Ok(chunk) = chunk else { break };
                let Ok(message) = serde_json::from_slice(&chunk) else {
                    continue;
                };
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut browser = Self {
            child,
            input,
            messages,
            next_id: 0,
            events: Vec::new(),
            session: String::new(),
            _profile: profile,
        };
        browser.open_tab().with_context(|| {
            let stderr = std::fs::read_to_string(&log).unwrap_or_default();
            format!("Chromium did not start; its stderr:\n{stderr}")
        })?;
        Ok(browser)
    }

    /// Opens a tab, attaches to it and enables the page, runtime and log event domains.
    fn open_tab(&mut self) -> Result<()> {
        let target = self.call("Target.createTarget", json!({ "url": "about:blank" }))?;
        let attach = json!({ "targetId": target["targetId"], "flatten": true });
        let attached = self.call("Target.attachToTarget", attach)?;
        self.session = attached["sessionId"]
            .as_str()
            .context("no sessionId")?
            .to_owned();
        for domain in ["Page", "Runtime", "Log"] {
            self.call(&format!("{domain}.enable"), json!({}))?;
        }
        Ok(())
    }

    /// Sets the viewport size; `mobile` also applies the page's viewport meta tag.
    pub(crate) fn set_viewport(&mut self, width: u32, height: u32, mobile: bool) -> Result<()> {
        let metrics = json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
        });
        self.call("Emulation.setDeviceMetricsOverride", metrics)
            .map(drop)
    }

    /// Loads `url` and waits for its load event and its web fonts.
    pub(crate) fn navigate(&mut self, url: &str) -> Result<()> {
        let session = &self.session;
        self.events
            .retain(|e| !is_event(e, session, "Page.loadEventFired"));
        let reply = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = reply.get("errorText") {
            bail!("navigating to {url}: {error}");
        }
        self.wait_event("Page.loadEventFired")?;
        self.eval("document.fonts.ready.then(() => true)").map(drop)
    }

    /// Evaluates a JavaScript expression (awaiting it if it is a promise) and returns its value.
    pub(crate) fn eval(&mut self, expression: &str) -> Result<Value> {
        let params =
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true });
        let reply = self.call("Runtime.evaluate", params)?;
        if let Some(exception) = reply.get("exceptionDetails") {
            bail!("evaluating `{expression}` threw: {exception}");
        }
        Ok(reply["result"]["value"].clone())
    }

    /// Saves a PNG of the whole page, up to `max_height` CSS pixels tall.
    pub(crate) fn screenshot(&mut self, path: &Path, max_height: f64) -> Result<()> {
        let size = self.eval(
            "[innerWidth, document.documentElement.scrollHeight, document.body.scrollHeight]",
        )?;
        let dimension = |i: usize| size[i].as_f64().unwrap_or(0.0);
        let height = dimension(1).max(dimension(2)).min(max_height);
        let clip = json!({ "x": 0, "y": 0, "width": dimension(0), "height": height, "scale": 1 });
        let params = json!({ "format": "png", "captureBeyondViewport": true, "clip": clip });
        let reply = self.call("Page.captureScreenshot", params)?;
        let data = reply["data"].as_str().context("screenshot without data")?;
        let png = base64::engine::general_purpose::STANDARD.decode(data)?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Removes and describes every console error, uncaught exception and error log entry the
    /// page has reported so far.
    pub(crate) fn take_errors(&mut self) -> Result<Vec<String>> {
        // A round trip makes sure every event sent before it has been received.
        self.eval("0")?;
        let (mine, others) = std::mem::take(&mut self.events)
            .into_iter()
            .partition::<Vec<_>, _>(|e| e["sessionId"].as_str() == Some(&self.session));
        self.events = others;
        Ok(mine.iter().filter_map(describe_error).collect())
    }

    /// Sends one command and waits for its reply, keeping events that arrive meanwhile.
    /// Messages go to the tab once it is attached, to the browser before that.
    fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        self.input
            .write_all(&bytes)
            .with_context(|| format!("sending {method}"))?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .with_context(|| format!("awaiting {method}"))?;
            if message["id"].as_u64() == Some(id) {
                return match message.get("error") {
                    Some(error) => Err(anyhow!("{method} failed: {error}")),
                    None => Ok(message["result"].clone()),
                };
            }
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    /// Waits until the tab reports the event `method`, and consumes it.
    fn wait_event(&mut self, method: &str) -> Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self
                .events
                .iter()
                .position(|e| is_event(e, &self.session, method))
            {
                self.events.remove(i);
                return Ok(());
            }
            let message = self
                .receive(deadline)
                .with_context(|| format!("awaiting {method}"))?;
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    /// Takes the next message from Chromium, failing at `deadline`.
    fn receive(&self, deadline: Instant) -> Result<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages
            .recv_timeout(left)
            .map_err(|error| match error {
                RecvTimeoutError::Timeout => anyhow!("Chromium did not answer within {TIMEOUT:?}"),
                RecvTimeoutError::Disconnected => anyhow!("Chromium closed the DevTools pipe"),
            })
    }
}

impl Drop for Browser {
    /// Asks Chromium to quit, and kills it if it has not within a few seconds.
    fn drop(&mut self) {
        let close = b"{\"id\":0,\"method\":\"Browser.close\",\"params\":{}}\0";
        let _ = self.input.write_all(close);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `event` is the event `method` of the tab attached as `session`.
fn is_event(event: &Value, session: &str, method: &str) -> bool {
    event["method"] == method && event["sessionId"].as_str() == Some(session)
}

/// Describes an event if it reports an error, in the words the DevTools console would use.
fn describe_error(event: &Value) -> Option<String> {
    let params = &event["params"];
    match event["method"].as_str()? {
        "Runtime.exceptionThrown" => {
            let details = &params["exceptionDetails"];
            let text = details["exception"]["description"].as_str();
            Some(format!(
                "uncaught: {}",
                text.or(details["text"].as_str()).unwrap_or("?")
            ))
        }
        "Runtime.consoleAPICalled"
            if matches!(params["type"].as_str(), Some("error" | "assert")) =>
        {
            let args = params["args"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            let words: Vec<String> = args
                .iter()
                .map(|a| {
                    a["value"]
                        .as_str()
                        .map_or_else(|| a["description"].to_string(), str::to_owned)
                })
                .collect();
            Some(format!(
                "console.{}: {}",
                params["type"].as_str()?,
                words.join(" ")
            ))
        }
        "Log.entryAdded" if params["entry"]["level"] == "error" => {
            let entry = &params["entry"];
            let url = entry["url"].as_str().unwrap_or("");
            Some(format!(
                "log: {} {url}",
                entry["text"].as_str().unwrap_or("?")
            ))
        }
        _ => None,
    }
}
