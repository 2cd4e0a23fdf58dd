//! The HTTP side of a fetch: authenticated GETs with bounded retries (429 honours Retry-After;
//! 5xx, dropped connections and cut-short answers back off exponentially) and failures in words
//! that name the URL. The token goes in the `Authorization` header only and is scrubbed from
//! every message.

use super::token::AuthToken;
use super::Progress;
use crate::error::{Error, Result};
use std::time::Duration;

/// How often and how long to retry a request that may succeed later.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries per request, the first included.
    pub attempts: u32,
    /// The first back-off; each next one doubles.
    pub base: Duration,
    /// No single wait is longer, whatever `Retry-After` asks.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { attempts: 5, base: Duration::from_millis(500), max_wait: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    fn backoff(&self, attempt: u32) -> Duration {
        self.base.saturating_mul(1 << attempt.saturating_sub(1).min(16)).min(self.max_wait)
    }
}

/// A successful answer.
pub struct Reply {
    pub link: Option<String>,
    pub body: Vec<u8>,
}

/// Largest answer read (a page of 100 segments of a long session can be large).
const BODY_LIMIT: u64 = 2 << 30;

pub struct Client {
    agent: ureq::Agent,
    token: AuthToken,
    retry: RetryPolicy,
}

/// One try's result that is worth another try, or not.
enum Failure {
    Retry { reason: String, wait: Option<Duration> },
    Final(Error),
    NotFound(Error),
}

impl Client {
    pub fn new(token: AuthToken, retry: RetryPolicy, timeout: Duration) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // The token follows a redirect only to the same host (never from https to http).
            .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost)
            .timeout_connect(Some(timeout))
            .timeout_per_read(Some(timeout))
            .user_agent(concat!("reprise/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Client { agent, token, retry }
    }

    /// GETs `url` (which `what` describes, e.g. `the video of segment 3`); a 404 is `None`.
    pub fn get_optional(&self, url: &str, what: &str, notify: &mut dyn FnMut(Progress)) -> Result<Option<Reply>> {
        self.run(url, what, notify, &|_| Ok(()), true)
    }

    /// GETs `url` (which `what` describes, e.g. `the replay`); an answer `check` rejects (e.g. JSON cut short) is retried like a dropped connection.
    pub fn get_checked(
        &self,
        url: &str,
        what: &str,
        notify: &mut dyn FnMut(Progress),
        check: &dyn Fn(&[u8]) -> std::result::Result<(), String>,
    ) -> Result<Reply> {
        match self.run(url, what, notify, check, false)? {
            Some(reply) => Ok(reply),
            None => unreachable!("404 is an error unless asked for"),
        }
    }

    fn run(
        &self,
        url: &str,
        what: &str,
        notify: &mut dyn FnMut(Progress),
        check: &dyn Fn(&[u8]) -> std::result::Result<(), String>,
        optional_404: bool,
    ) -> Result<Option<Reply>> {
        let attempts = self.retry.attempts.max(1);
        for attempt in 1..=attempts {
            let failure = match self.once(url, what) {
                Ok(reply) => match check(&reply.body) {
                    Ok(()) => return Ok(Some(reply)),
                    Err(e) => Failure::Retry { reason: format!("the answer was cut short or malformed ({e})"), wait: None },
                },
                Err(f) => f,
            };
            let (reason, wait) = match failure {
                Failure::NotFound(_) if optional_404 => return Ok(None),
                Failure::NotFound(e) | Failure::Final(e) => return Err(e),
                Failure::Retry { reason, wait } => (reason, wait),
            };
            if attempt == attempts {
                return Err(Error::Environment(format!(
                    "GET {url} ({what}) failed after {attempts} attempts: {reason}"
                )));
            }
            let wait = wait.unwrap_or_else(|| self.retry.backoff(attempt)).min(self.retry.max_wait);
            notify(Progress::Retry { url, attempt, attempts, wait, reason: &reason });
            std::thread::sleep(wait);
        }
        unreachable!("the last attempt returns")
    }

    fn once(&self, url: &str, what: &str) -> std::result::Result<Reply, Failure> {
        let scrub = |s: String| self.token.scrub(&s);
        let mut resp = self
            .agent
            .get(url)
            .header("Authorization", self.token.header())
            .header("Accept", "application/json")
            .call()
            .map_err(|e| Failure::Retry { reason: scrub(transport(&e)), wait: None })?;
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let link = header("link");
        let retry_after = header("retry-after");
        let body = resp.body_mut().with_config().limit(BODY_LIMIT).read_to_vec();
        let body = match body {
            Ok(b) => b,
            Err(e) if (200..300).contains(&status) => {
                return Err(Failure::Retry {
                    reason: scrub(format!("the connection dropped while reading the answer ({})", transport(&e))),
                    wait: None,
                })
            }
            Err(_) => Vec::new(),
        };
        match status {
            200..=299 => Ok(Reply { link, body }),
            429 => Err(Failure::Retry {
                reason: "HTTP 429 Too Many Requests (rate limited)".into(),
                wait: retry_after.and_then(|s| s.trim().parse::<u64>().ok()).map(Duration::from_secs),
            }),
            500..=599 => Err(Failure::Retry { reason: format!("HTTP {status}{}", scrub(detail(&body))), wait: None }),
            _ => {
                let hint = match status {
                    401 => ": the auth token is missing, wrong or expired; set SENTRY_AUTH_TOKEN or pass --auth-token",
                    403 => ": the auth token may not read this; it needs the org:read, project:read and \
                           event:read scopes in this organization",
                    404 => ": check the organization, the project and the replay id (and --url / SENTRY_URL \
                           for a self-hosted server)",
                    _ => "",
                };
                let e = Error::Environment(format!(
                    "GET {url} ({what}) was answered HTTP {status}{}{}{hint}",
                    reason_phrase(status),
                    scrub(detail(&body))
                ));
                Err(if status == 404 { Failure::NotFound(e) } else { Failure::Final(e) })
            }
        }
    }
}

/// A transport error in words; never holds headers.
fn transport(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => "connection reset".into(),
            std::io::ErrorKind::UnexpectedEof => "connection closed before the answer ended".into(),
            _ => format!("I/O error: {io}"),
        },
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found".into(),
        other => other.to_string(),
    }
}

/// Sentry's error bodies are `{"detail": "..."}`; show that, short.
fn detail(body: &[u8]) -> String {
    let text = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("detail").map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_owned)));
    match text {
        Some(t) if !t.is_empty() => {
            let t: String = t.chars().take(200).collect();
            format!(" ({t})")
        }
        _ => String::new(),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        410 => " Gone",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let p = RetryPolicy { attempts: 5, base: Duration::from_millis(100), max_wait: Duration::from_secs(1) };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(3), Duration::from_millis(400));
        assert_eq!(p.backoff(30), Duration::from_secs(1));
    }

    #[test]
    fn error_bodies_show_their_detail() {
        assert_eq!(detail(br#"{"detail":"Invalid token"}"#), " (Invalid token)");
        assert_eq!(detail(b"<html>"), "");
    }
}
