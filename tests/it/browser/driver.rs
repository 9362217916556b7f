//! Debian's `chromedriver`, and the WebDriver sessions the tests drive through it with
//! fantoccini: headless Chromium at an emulated viewport, its browser log, full-page screenshots.
//!
//! Each test starts a ChromeDriver of its own, on a port the system picks, in a process group
//! of its own: dropping the [`ChromeDriver`] ends it and every Chromium it started, even when a
//! test failed halfway through a session. Chromium's profiles and temporary files go to a
//! folder that is removed with it.

use std::fs::File;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// How long ChromeDriver may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// What ChromeDriver prints once it listens, before the port number.
const READY: &str = "ChromeDriver was started successfully on port ";

/// The flags of the headless Chromium the tests drive (ChromeDriver adds its own for automation:
/// no first-run dialogs, no background networking, no sync).
const CHROMIUM_ARGS: [&str; 4] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
];

/// A viewport that Chromium emulates: its size in CSS pixels, and whether it is a phone's
/// (which applies the page's viewport meta tag, and zooms out a page too wide for it).
#[derive(Clone, Copy)]
pub(crate) struct Viewport {
    /// Width in CSS pixels.
    pub(crate) width: u32,
    /// Height in CSS pixels.
    pub(crate) height: u32,
    /// Whether Chromium emulates a mobile device.
    pub(crate) mobile: bool,
}

/// A laptop's screen.
pub(crate) const DESKTOP: Viewport = Viewport {
    width: 1280,
    height: 800,
    mobile: false,
};

/// A phone's screen.
pub(crate) const PHONE: Viewport = Viewport {
    width: 375,
    height: 812,
    mobile: true,
};

/// A running ChromeDriver, listening on a loopback port.
pub(crate) struct ChromeDriver {
    child: Child,
    /// Where its WebDriver endpoint is, with a trailing slash.
    url: String,
    /// The temporary folder of ChromeDriver and of every Chromium it starts; holds its log.
    dir: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts `chromedriver` on a free port and waits until it listens.
    pub(crate) fn start(chromedriver: &Path) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("chromedriver.log");
        let output = File::create(&log)?;
        let child = Command::new(chromedriver)
            // The system picks a free port, and ChromeDriver says which.
            .arg("--port=0")
            .env("TMPDIR", dir.path())
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", chromedriver.display()))?;
        let mut driver = Self {
            child,
            url: String::new(),
            dir,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let printed = std::fs::read_to_string(&log)?;
            let port = printed
                .lines()
                .find_map(|line| line.strip_prefix(READY))
                .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok());
            if let Some(port) = port {
                driver.url = format!("http://127.0.0.1:{port}/");
                return Ok(driver);
            }
            if let Some(status) = driver.child.try_wait()? {
                bail!("ChromeDriver exited ({status}) before listening:\n{printed}");
            }
            if Instant::now() > deadline {
                bail!("ChromeDriver did not listen within {START_TIMEOUT:?}:\n{printed}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs `body` in a new session: headless `chromium` with a fresh profile and `viewport`
    /// emulated. The session is closed (and Chromium quits) whether `body` succeeds or not.
    pub(crate) async fn session<T>(
        &self,
        chromium: &Path,
        viewport: Viewport,
        body: impl AsyncFnOnce(&Browser) -> Result<T>,
    ) -> Result<T> {
        let capabilities: Capabilities = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": CHROMIUM_ARGS,
                "mobileEmulation": {
                    "deviceMetrics": {
                        "width": viewport.width,
                        "height": viewport.height,
                        "pixelRatio": 1,
                        "mobile": viewport.mobile,
                        // Size and viewport meta tag only, as the tests have always emulated.
                        "touch": false,
                    },
                },
            },
            // Keeps the browser log's errors for `take_errors`: console errors, uncaught
            // exceptions, resources that failed to load.
            "goog:loggingPrefs": { "browser": "SEVERE" },
        }))?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .with_context(|| {
                let log = std::fs::read_to_string(self.dir.path().join("chromedriver.log"));
                format!(
                    "starting {} through ChromeDriver; its log:\n{}",
                    chromium.display(),
                    log.unwrap_or_default()
                )
            })?;
        let browser = Browser { client };
        let result = body(&browser).await;
        let closed = browser.client.close().await;
        let value = result?;
        closed.context("closing the WebDriver session")?;
        Ok(value)
    }
}

impl Drop for ChromeDriver {
    /// Kills ChromeDriver's process group: ChromeDriver, and any Chromium a session left open.
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) only sends a signal; a negative pid names the process group that
            // `process_group(0)` made for this ChromeDriver, which holds only its processes.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

/// One WebDriver session: a Chromium window the tests load pages into.
pub(crate) struct Browser {
    client: Client,
}

impl Browser {
    /// Loads `url`, and waits for its load event and its web fonts.
    pub(crate) async fn navigate(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("loading {url}"))?;
        self.eval("return document.fonts.ready.then(() => true)", Vec::new())
            .await
            .map(drop)
    }

    /// Runs `script`, a function body that sees `args` as `arguments` and may return a promise,
    /// and returns what it returns (or what the promise resolves to).
    pub(crate) async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client
            .execute(script, args)
            .await
            .with_context(|| format!("running `{script}`"))
    }

    /// Saves a PNG of the whole page, up to `max_height` CSS pixels tall.
    ///
    /// WebDriver's own screenshot shows the viewport only, so this is ChromeDriver's command for
    /// the DevTools protocol: `Page.captureScreenshot` beyond the viewport.
    pub(crate) async fn screenshot(&self, path: &Path, max_height: f64) -> Result<()> {
        let size = self
            .eval(
                "return [innerWidth, document.documentElement.scrollHeight, \
                 document.body.scrollHeight]",
                Vec::new(),
            )
            .await?;
        let dimension = |i: usize| size[i].as_f64().unwrap_or(0.0);
        let height = dimension(1).max(dimension(2)).min(max_height);
        let clip = json!({ "x": 0, "y": 0, "width": dimension(0), "height": height, "scale": 1 });
        let params = json!({ "format": "png", "captureBeyondViewport": true, "clip": clip });
        let reply = self
            .client
            .issue_cmd(ChromeDriverCommand {
                path: "goog/cdp/execute",
                body: json!({ "cmd": "Page.captureScreenshot", "params": params }),
            })
            .await
            .context("taking a screenshot")?;
        let data = reply["data"].as_str().context("screenshot without data")?;
        let png = base64::engine::general_purpose::STANDARD.decode(data)?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Removes and describes the errors in the browser log since the last call: console
    /// errors, uncaught exceptions, and resources that failed to load.
    pub(crate) async fn take_errors(&self) -> Result<Vec<String>> {
        let entries = self
            .client
            .issue_cmd(ChromeDriverCommand {
                path: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .context("reading the browser log")?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                let text = |key: &str| entry[key].as_str().unwrap_or("?").to_owned();
                format!("{}: {}", text("source"), text("message"))
            })
            .collect())
    }
}

/// A ChromeDriver command beyond the W3C standard: a POST to `/session/{id}/{path}`.
#[derive(Debug)]
struct ChromeDriverCommand {
    /// The command's path under the session.
    path: &'static str,
    /// Its JSON parameters.
    body: Value,
}

impl WebDriverCompatibleCommand for ChromeDriverCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
