//! Drives the real desktop app through WebDriver: starts `tauri-driver` (which starts WebKitWebDriver, which starts
//! the app) on free ports with a fresh data folder, and offers small helpers keyed on the UI's `data-testid`s.
//! tauri-driver is always stopped with SIGTERM and waited for: SIGKILL would orphan WebKitWebDriver and make every
//! later run hang.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// WebDriver's Enter key.
pub const ENTER: &str = "\u{E007}";

/// The running app, its driver and its data folder.
pub struct App {
    pub client: Client,
    driver: Option<Child>,
    pub data_dir: tempfile::TempDir,
    shots: PathBuf,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("data_dir", &self.data_dir.path()).finish_non_exhaustive()
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// The built desktop binary (`make app` builds it): `TALENTO_APP`, or the workspace's debug build.
pub fn app_binary() -> Result<PathBuf> {
    let path = std::env::var_os("TALENTO_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/talento-desktop"));
    if !path.exists() {
        bail!("{} does not exist: build the app first (make app)", path.display());
    }
    Ok(path)
}

fn stop(child: &mut Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.wait();
}

impl App {
    /// Starts the app on an empty data folder.
    pub async fn launch() -> Result<App> {
        Self::launch_in(tempfile::tempdir()?).await
    }

    /// Starts the app on the given data folder.
    pub async fn launch_in(data_dir: tempfile::TempDir) -> Result<App> {
        let application = app_binary()?;
        let (port, native_port) = (free_port()?, free_port()?);
        let mut driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("TALENTO_DATA_DIR", data_dir.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start tauri-driver (make deps installs it)")?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                stop(&mut driver);
                bail!("tauri-driver did not listen on {port}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert("tauri:options".into(), serde_json::json!({ "application": application }));
        let client =
            match ClientBuilder::rustls()?.capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(client) => client,
                Err(e) => {
                    stop(&mut driver);
                    bail!("WebDriver session: {e}");
                }
            };
        let shots = workspace_root().join("target/e2e-shots");
        std::fs::create_dir_all(&shots)?;
        Ok(App { client, driver: Some(driver), data_dir, shots })
    }

    fn selector(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Waits for a visible element with this test id.
    pub async fn find(&self, testid: &str) -> Result<Element> {
        let selector = Self::selector(testid);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(&selector)).await
                && element.is_displayed().await.unwrap_or(false)
            {
                return Ok(element);
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("missing-{testid}")).await;
                bail!("no visible element [data-testid={testid}] after 15 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        self.find(testid).await?.click().await.with_context(|| format!("click {testid}"))
    }

    /// Replaces the field's content with `text`, as typed.
    pub async fn fill(&self, testid: &str, text: &str) -> Result<()> {
        let field = self.find(testid).await?;
        field.clear().await.with_context(|| format!("clear {testid}"))?;
        field.send_keys(text).await.with_context(|| format!("type into {testid}"))
    }

    pub async fn text(&self, testid: &str) -> Result<String> {
        Ok(self.find(testid).await?.text().await?)
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, testid: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = self.text(testid).await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("text-{testid}")).await;
                bail!("[data-testid={testid}] never contained {needle:?}; last text: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the window to target/e2e-shots/NAME.png.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Waits for an element with this test id to be in the page, visible or not (e.g. a hidden file input).
    pub async fn find_present(&self, testid: &str) -> Result<Element> {
        let selector = Self::selector(testid);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(&selector)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("absent-{testid}")).await;
                bail!("no element [data-testid={testid}] after 15 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether a visible element with this test id is on screen now (no waiting).
    pub async fn visible(&self, testid: &str) -> bool {
        match self.client.find(Locator::Css(&Self::selector(testid))).await {
            Ok(element) => element.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    }

    /// Types into a searchable select and takes the first match (Enter).
    pub async fn pick(&self, testid: &str, typed: &str) -> Result<()> {
        self.fill(testid, typed).await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.find(testid).await?.send_keys(ENTER).await?;
        Ok(())
    }

    /// Presses the wizard's "Continuer" until `testid` shows up (sections without required fields just move on).
    pub async fn next_until(&self, testid: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.visible(testid).await {
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("never-{testid}")).await;
                bail!("the wizard never showed [data-testid={testid}]");
            }
            self.click("wizard-next").await?;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    }

    /// Hands a file to an <input type=file>, as a person choosing it in the file dialog would.
    pub async fn choose_file(&self, testid: &str, path: &Path) -> Result<()> {
        let input = self.find_present(testid).await?;
        // File inputs are often visually hidden behind a nicer button; WebDriver may only type into visible ones.
        self.client
            .execute(
                "arguments[0].style.display='block'; arguments[0].style.opacity='1'; arguments[0].classList.remove('sr-only');",
                vec![serde_json::to_value(&input)?],
            )
            .await?;
        input.send_keys(&path.display().to_string()).await?;
        Ok(())
    }

    /// Closes the toasts, which sit over the bottom-right corner where forms keep their main button.
    pub async fn dismiss_toasts(&self) -> Result<()> {
        self.client
            .execute("document.querySelectorAll('[data-testid=\"toast\"] button').forEach((b) => b.click());", vec![])
            .await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        Ok(())
    }

    /// Waits until the element's whole text (`textContent`, ellipsed parts included: WebDriver's visible text leaves
    /// out truncated names) contains `needle`; returns it.
    pub async fn wait_content(&self, testid: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let element = self.find(testid).await?;
            // A re-rendered element is gone by the time it is read: that is "not yet".
            let text = self
                .client
                .execute("return arguments[0].textContent;", vec![serde_json::to_value(&element)?])
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("content-{testid}")).await;
                bail!("[data-testid={testid}] never contained {needle:?}; last text: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Runs the first-run wizard: agency, then its first administrator. Ends on the logged-in shell.
    pub async fn first_run(&self, agency: &str, name: &str, email: &str, password: &str) -> Result<()> {
        self.fill("firstrun-agency", agency).await?;
        self.click("firstrun-next").await?;
        self.fill("firstrun-name", name).await?;
        self.fill("firstrun-email", email).await?;
        self.fill("firstrun-password", password).await?;
        self.fill("firstrun-password-confirm", password).await?;
        self.click("firstrun-submit").await?;
        self.find("shell").await?;
        Ok(())
    }

    /// Ends the WebDriver session (closing the app) and stops the driver.
    pub async fn close(mut self) -> Result<()> {
        let result = self.client.clone().close().await;
        if let Some(mut driver) = self.driver.take() {
            stop(&mut driver);
        }
        result.map_err(Into::into)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            stop(&mut driver);
        }
    }
}
