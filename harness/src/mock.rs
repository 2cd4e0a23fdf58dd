//! Answering an app's requests from the recording: each request is matched on method and path +
//! query (and request body when several recorded calls differ by body), in sequence — the nth call
//! to an endpoint gets the nth recorded response. Pure; the browser module serves the answers.

use crate::model::{path_and_query, Exchange};
use std::collections::{HashMap, VecDeque};

/// What to do with a request the recording has no answer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnmatchedPolicy {
    /// Fail the scenario (the request is answered 404 so the page can go on; the run then fails).
    #[default]
    Fail,
    /// Answer 404 and carry on.
    NotFound,
    /// Abort the request (a network error in the page).
    Abort,
}

impl UnmatchedPolicy {
    pub fn parse(s: &str) -> Option<UnmatchedPolicy> {
        match s {
            "fail" => Some(UnmatchedPolicy::Fail),
            "404" => Some(UnmatchedPolicy::NotFound),
            "abort" => Some(UnmatchedPolicy::Abort),
            _ => None,
        }
    }
}

/// A request the recording could not answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmatched {
    pub method: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct MockTable {
    exchanges: Vec<Exchange>,
    queues: HashMap<(String, String), VecDeque<usize>>,
    /// A restarted request (same id) gets the same answer again.
    by_request_id: HashMap<String, Option<usize>>,
    used: Vec<bool>,
    pub unmatched: Vec<Unmatched>,
}

impl MockTable {
    pub fn new(exchanges: Vec<Exchange>) -> MockTable {
        let mut queues: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
        for (i, e) in exchanges.iter().enumerate() {
            queues.entry((e.method.clone(), e.path_and_query().to_string())).or_default().push_back(i);
        }
        let used = vec![false; exchanges.len()];
        MockTable { exchanges, queues, by_request_id: HashMap::new(), used, unmatched: Vec::new() }
    }

    /// The recorded exchange that answers this request, or None (recorded in `unmatched`).
    pub fn answer(&mut self, request_id: &str, method: &str, url: &str, body: Option<&str>) -> Option<&Exchange> {
        if let Some(prev) = self.by_request_id.get(request_id) {
            return prev.map(|i| &self.exchanges[i]);
        }
        let key = (method.to_uppercase(), path_and_query(url).to_string());
        let picked = self.queues.get_mut(&key).and_then(|q| {
            // Prefer the first remaining call with the same body; else the next in sequence.
            let pos = body
                .and_then(|b| q.iter().position(|&i| self.exchanges[i].request_body.as_deref() == Some(b)))
                .unwrap_or(0);
            q.remove(pos)
        });
        match picked {
            Some(i) => self.used[i] = true,
            None => self.unmatched.push(Unmatched { method: key.0.clone(), url: url.to_string() }),
        }
        self.by_request_id.insert(request_id.to_string(), picked);
        picked.map(|i| &self.exchanges[i])
    }

    /// Recorded exchanges the run never asked for.
    pub fn unused(&self) -> Vec<&Exchange> {
        self.exchanges.iter().zip(&self.used).filter(|(_, u)| !**u).map(|(e, _)| e).collect()
    }

    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pointer, Timestamp};

    fn ex(method: &str, url: &str, status: u16, req: Option<&str>) -> Exchange {
        Exchange {
            pointer: Pointer::default(),
            start: Timestamp(0.0),
            end: Timestamp(100.0),
            method: method.into(),
            url: url.into(),
            status: Some(status),
            request_headers: vec![],
            request_body: req.map(str::to_owned),
            response_headers: vec![],
            response_body: None,
            warnings: vec![],
        }
    }

    #[test]
    fn nth_call_gets_nth_response_and_restarts_are_idempotent() {
        let mut t = MockTable::new(vec![ex("POST", "/api/orders", 201, None), ex("POST", "/api/orders", 409, None), ex("GET", "/api/cart", 200, None)]);
        assert_eq!(t.answer("1", "post", "http://127.0.0.1:9202/api/orders", None).unwrap().status, Some(201));
        assert_eq!(t.answer("1", "POST", "http://x/api/orders", None).unwrap().status, Some(201), "same request id");
        assert_eq!(t.answer("2", "POST", "http://x/api/orders", None).unwrap().status, Some(409));
        assert!(t.answer("3", "POST", "http://x/api/orders", None).is_none());
        assert_eq!(t.unmatched.len(), 1);
        assert_eq!(t.unused().len(), 1, "the cart was never asked for");
    }

    #[test]
    fn bodies_pick_among_calls_to_one_endpoint() {
        let mut t = MockTable::new(vec![ex("POST", "/q", 200, Some("a")), ex("POST", "/q", 500, Some("b"))]);
        assert_eq!(t.answer("1", "POST", "/q", Some("b")).unwrap().status, Some(500));
        assert_eq!(t.answer("2", "POST", "/q", Some("zzz")).unwrap().status, Some(200));
    }
}
