//! Chromium, driven over the DevTools protocol: finding and launching it, rendering HTML at a
//! recording's origin with scripts off and every request answered locally, and capturing PNGs.
//! The only module that touches Chromium, wall time or randomness; dom, compare and golden must
//! never import it. See docs/browser.md.

mod find;
mod flags;
mod process;

pub use find::{available, find_chrome, Flavor, CHROME_ENV, KNOWN_PATHS};
